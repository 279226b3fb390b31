# Host unit tests for the Linux ABI layer's pure logic (src/platform/x86_64/{sched,linux,...}):
# the same source files the kernel links, compiled for Linux against the C library.
set(LSRC ${CMAKE_SOURCE_DIR}/src/platform/x86_64)
set(LINUX_PURE_SOURCES ${LSRC}/sched/futex-table.c ${LSRC}/sched/runqueue.c)
add_library(rtjs-linux-pure STATIC ${LINUX_PURE_SOURCES})
target_include_directories(rtjs-linux-pure PUBLIC ${LSRC})

# The Linux layer's files that only need page tables, a heap and a log: tested against
# fakes of those (tests/unit/linux/fake-kernel.c).
add_library(rtjs-linux-faked STATIC ${LSRC}/linux/cpio.c ${LSRC}/linux/elf.c ${LSRC}/linux/vma.c
  ${LSRC}/linux/sys-mm.c ${LSRC}/linux/fd.c
  ${LSRC}/linux/fs.c ${CMAKE_CURRENT_LIST_DIR}/linux/fake-kernel.c)
target_include_directories(rtjs-linux-faked PUBLIC ${LSRC} ${CMAKE_CURRENT_LIST_DIR}/linux)
target_link_libraries(rtjs-linux-faked PUBLIC rtjs-kernel-pure)

file(GLOB linux_tests CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/unit/linux/test-*.c)
foreach(src ${linux_tests})
  get_filename_component(name ${src} NAME_WE)
  add_executable(linux-${name} ${src})
  target_link_libraries(linux-${name} PRIVATE rtjs-linux-pure rtjs-linux-faked cmocka)
  string(REGEX REPLACE "^test-" "" what ${name})
  add_test(NAME linux/${what}@unit COMMAND linux-${name})
  set_tests_properties(linux/${what}@unit PROPERTIES TIMEOUT 60 LABELS linux)
endforeach()
