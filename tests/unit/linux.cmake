# Host unit tests for the Linux ABI layer's pure logic (src/platform/x86_64/{sched,linux,...}):
# the same source files the kernel links, compiled for Linux against the C library.
set(LSRC ${CMAKE_SOURCE_DIR}/src/platform/x86_64)
set(LINUX_PURE_SOURCES ${LSRC}/sched/futex-table.c ${LSRC}/sched/runqueue.c)
add_library(rtjs-linux-pure STATIC ${LINUX_PURE_SOURCES})
target_include_directories(rtjs-linux-pure PUBLIC ${LSRC})

file(GLOB linux_tests CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/unit/linux/test-*.c)
foreach(src ${linux_tests})
  get_filename_component(name ${src} NAME_WE)
  add_executable(linux-${name} ${src})
  target_link_libraries(linux-${name} PRIVATE rtjs-linux-pure cmocka)
  add_test(NAME linux/${name} COMMAND linux-${name})
  set_tests_properties(linux/${name} PROPERTIES TIMEOUT 60 LABELS "unit;linux")
endforeach()
