# Storage: the FAT32 file system against Linux's tools (mkfs.fat, mtools, fsck.fat).
set(ST ${CMAKE_CURRENT_LIST_DIR})
add_executable(disk-image ${ST}/disk-image.c)
add_test(NAME storage/fat32-interop COMMAND ${ST}/fat32-interop.test.sh $<TARGET_FILE:rtjs-sim> $<TARGET_FILE:disk-image>)
set_tests_properties(storage/fat32-interop PROPERTIES TIMEOUT 300 LABELS storage)
add_test(NAME storage/fat32-fuzz COMMAND ${ST}/fat32-fuzz.test.sh $<TARGET_FILE:rtjs-sim> $<TARGET_FILE:disk-image>)
# 100,000 images take about 100 s of one CPU; the timeout leaves room for a loaded machine.
set_tests_properties(storage/fat32-fuzz PROPERTIES TIMEOUT 1500 LABELS storage)
add_test(NAME storage/fat32-limits COMMAND ${ST}/fat32-limits.test.sh $<TARGET_FILE:rtjs-sim> $<TARGET_FILE:disk-image>)
set_tests_properties(storage/fat32-limits PROPERTIES TIMEOUT 300 LABELS storage)
add_test(NAME storage/virtio-blk COMMAND ${ST}/virtio-blk.test.sh sim $<TARGET_FILE:rtjs-sim>)
set_tests_properties(storage/virtio-blk PROPERTIES TIMEOUT 300 LABELS storage)
# The same driver and test app on the kernel, against QEMU's virtio-blk-pci.
add_test(NAME ring0/storage/virtio-blk COMMAND ${ST}/virtio-blk.test.sh qemu ${CMAKE_BINARY_DIR})
set_tests_properties(ring0/storage/virtio-blk PROPERTIES TIMEOUT 900 LABELS "storage;qemu;ring0")
add_test(NAME storage/disk-persist COMMAND ${ST}/disk-persist.test.sh sim $<TARGET_FILE:rtjs-sim>)
set_tests_properties(storage/disk-persist PROPERTIES TIMEOUT 300 LABELS storage)
add_test(NAME ring0/storage/disk-persist COMMAND ${ST}/disk-persist.test.sh qemu ${CMAKE_BINARY_DIR})
set_tests_properties(ring0/storage/disk-persist PROPERTIES TIMEOUT 900 LABELS "storage;qemu;ring0")
