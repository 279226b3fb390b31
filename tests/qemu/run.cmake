# ./rtjs run as a user sees it (scripts/rtjs-run): on a pseudo-terminal (only the app's output,
# its exit status, Ctrl-C) and from a pipe.
add_test(NAME run/terminal COMMAND ${CMAKE_CURRENT_LIST_DIR}/run/run.test.py ${CMAKE_BINARY_DIR})
set_tests_properties(run/terminal PROPERTIES TIMEOUT 900 LABELS "qemu;run")
