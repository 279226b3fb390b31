# Host unit tests for the kernel's pure logic (src/platform/x86_64): the same source files
# the kernel links, compiled for Linux against the C library.
set(KSRC ${CMAKE_SOURCE_DIR}/src/platform/x86_64)
set(KERNEL_PURE_SOURCES
  ${KSRC}/lib/format.c ${KSRC}/lib/cmdline.c ${KSRC}/boot/multiboot.c ${KSRC}/mm/memmap.c
  ${KSRC}/mm/pmm-core.c ${KSRC}/mm/pt.c ${KSRC}/acpi/tables.c ${KSRC}/time/epoch.c)
add_library(rtjs-kernel-pure STATIC ${KERNEL_PURE_SOURCES})
target_include_directories(rtjs-kernel-pure PUBLIC ${KSRC} ${KSRC}/include)

file(GLOB kernel_tests CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/unit/kernel/test-*.c)
foreach(src ${kernel_tests})
  get_filename_component(name ${src} NAME_WE)
  add_executable(kernel-${name} ${src})
  target_link_libraries(kernel-${name} PRIVATE rtjs-kernel-pure cmocka)
  string(REGEX REPLACE "^test-" "" what ${name})
  add_test(NAME kernel/${what}@unit COMMAND kernel-${name})
  set_tests_properties(kernel/${what}@unit PROPERTIES TIMEOUT 60 LABELS kernel)
endforeach()
