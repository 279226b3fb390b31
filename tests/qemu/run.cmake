# ./rtjs run as a user sees it (scripts/rtjs-run): on a pseudo-terminal (only the app's output,
# its exit status, Ctrl-C) and from a pipe.
add_test(NAME run/terminal@qemu COMMAND ${CMAKE_CURRENT_LIST_DIR}/run/run.test.py ${CMAKE_BINARY_DIR})
set_tests_properties(run/terminal@qemu PROPERTIES TIMEOUT 900 LABELS run)
# ./rtjs image, both kinds (hybrid ISO, GPT disk), each booted with SeaBIOS and with UEFI (OVMF).
add_test(NAME run/image@qemu COMMAND ${CMAKE_CURRENT_LIST_DIR}/run/image.test.sh ${CMAKE_BINARY_DIR})
set_tests_properties(run/image@qemu PROPERTIES TIMEOUT 1500 LABELS "run;image")
