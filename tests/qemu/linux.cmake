# Threads of a Linux program in ring 0 (helper L, issue 6): clone, futexes, the scheduler.
# Uses the ring-0 boot checker (tests/qemu/ring0/boot-check.sh).
set(LQ ${CMAKE_CURRENT_LIST_DIR}/linux)
add_executable(linux-threads-static ${LQ}/programs/threads.c)
target_link_options(linux-threads-static PRIVATE -static -pthread)
add_executable(linux-threads ${LQ}/programs/threads.c)
target_link_options(linux-threads PRIVATE -pthread)

function(linux_qemu_test name)
  add_test(NAME linux/${name}
    COMMAND ${CMAKE_CURRENT_LIST_DIR}/ring0/boot-check.sh ${CMAKE_BINARY_DIR} ${name} ${ARGN})
  set_tests_properties(linux/${name} PROPERTIES TIMEOUT 300 LABELS "qemu;linux")
endfunction()

foreach(kind static dynamic)
  if(kind STREQUAL static)
    set(prog linux-threads-static)
  else()
    set(prog linux-threads)
  endif()
  linux_qemu_test(threads-${kind}
    --initrd-args "--program $<TARGET_FILE:${prog}>=/bin/threads"
    --cmdline "init=/bin/threads" --status 5
    --expect "^threads joined: counter=80000 \\(expected 80000\\) tls=4/4$"
    --expect "^condition signalled after >=20 ms$"
    --expect "^timed wait: ETIMEDOUT after about 30 ms$"
    --expect "^preempted busy loop released$")
endforeach()
