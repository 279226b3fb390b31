# Storage: the FAT32 file system against Linux's tools (mkfs.fat, mtools, fsck.fat).
set(ST ${CMAKE_CURRENT_LIST_DIR})
add_executable(disk-image ${ST}/disk-image.c)
add_test(NAME storage/fat32-interop COMMAND ${ST}/fat32-interop.test.sh $<TARGET_FILE:rtjs-sim> $<TARGET_FILE:disk-image>)
set_tests_properties(storage/fat32-interop PROPERTIES TIMEOUT 300 LABELS storage)
