# Sessions with a disk: the user database on FAT32 across restarts, and its recovery.
set(SE "${CMAKE_CURRENT_SOURCE_DIR}/sessions")
add_test(NAME sessions/users-disk@sim COMMAND ${SE}/users-disk.test.sh sim $<TARGET_FILE:rtjs-sim>)
set_tests_properties(sessions/users-disk@sim PROPERTIES TIMEOUT 300 LABELS sessions)
add_test(NAME sessions/users-disk@qemu COMMAND ${SE}/users-disk.test.sh qemu ${CMAKE_BINARY_DIR})
set_tests_properties(sessions/users-disk@qemu PROPERTIES TIMEOUT 900 LABELS sessions)
