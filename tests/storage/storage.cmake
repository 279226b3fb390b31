# Storage: the FAT32 file system against Linux's tools (mkfs.fat, mtools, fsck.fat).
set(ST ${CMAKE_CURRENT_LIST_DIR})
add_executable(disk-image ${ST}/disk-image.c)
add_test(NAME storage/fat32-interop@sim COMMAND ${ST}/fat32-interop.test.sh $<TARGET_FILE:rtjs-sim> $<TARGET_FILE:disk-image>)
set_tests_properties(storage/fat32-interop@sim PROPERTIES TIMEOUT 300 LABELS storage)
add_test(NAME storage/fat32-fuzz@sim COMMAND ${ST}/fat32-fuzz.test.sh $<TARGET_FILE:rtjs-sim> $<TARGET_FILE:disk-image>)
# 100,000 images take about 100 s of one CPU; the timeout leaves room for a loaded machine.
set_tests_properties(storage/fat32-fuzz@sim PROPERTIES TIMEOUT 1500 LABELS storage)
add_test(NAME storage/fat32-limits@sim COMMAND ${ST}/fat32-limits.test.sh $<TARGET_FILE:rtjs-sim> $<TARGET_FILE:disk-image>)
set_tests_properties(storage/fat32-limits@sim PROPERTIES TIMEOUT 300 LABELS storage)
add_test(NAME storage/virtio-blk@sim COMMAND ${ST}/virtio-blk.test.sh sim $<TARGET_FILE:rtjs-sim>)
set_tests_properties(storage/virtio-blk@sim PROPERTIES TIMEOUT 300 LABELS storage)
# The same driver and test app on the kernel, against QEMU's virtio-blk-pci.
add_test(NAME storage/virtio-blk@qemu COMMAND ${ST}/virtio-blk.test.sh qemu ${CMAKE_BINARY_DIR})
set_tests_properties(storage/virtio-blk@qemu PROPERTIES TIMEOUT 900 LABELS storage)
add_test(NAME storage/disk-persist@sim COMMAND ${ST}/disk-persist.test.sh sim $<TARGET_FILE:rtjs-sim>)
set_tests_properties(storage/disk-persist@sim PROPERTIES TIMEOUT 300 LABELS storage)
add_test(NAME storage/disk-persist@qemu COMMAND ${ST}/disk-persist.test.sh qemu ${CMAKE_BINARY_DIR})
set_tests_properties(storage/disk-persist@qemu PROPERTIES TIMEOUT 900 LABELS storage)
add_test(NAME storage/crash@qemu COMMAND ${ST}/crash.test.sh ${CMAKE_BINARY_DIR})
set_tests_properties(storage/crash@qemu PROPERTIES TIMEOUT 900 LABELS storage)
# The disk as a service: apps granted subtrees of /disk write through the file service app.
add_test(NAME storage/file-service@sim COMMAND ${ST}/file-service.test.sh sim $<TARGET_FILE:rtjs-sim>)
set_tests_properties(storage/file-service@sim PROPERTIES TIMEOUT 300 LABELS storage)
add_test(NAME storage/file-service@qemu COMMAND ${ST}/file-service.test.sh qemu ${CMAKE_BINARY_DIR})
set_tests_properties(storage/file-service@qemu PROPERTIES TIMEOUT 900 LABELS storage)
# Device errors injected in the simulated disk, and by QEMU's blkdebug driver: EIO naming the
# device and the sectors, and the volume read-only after a failed write.
add_test(NAME storage/disk-faults@sim COMMAND ${ST}/disk-faults.test.sh sim $<TARGET_FILE:rtjs-sim>)
set_tests_properties(storage/disk-faults@sim PROPERTIES TIMEOUT 300 LABELS storage)
add_test(NAME storage/disk-faults@qemu COMMAND ${ST}/disk-faults.test.sh qemu ${CMAKE_BINARY_DIR})
set_tests_properties(storage/disk-faults@qemu PROPERTIES TIMEOUT 900 LABELS storage)
# node:fs against Node as the oracle, line by line.
add_test(NAME storage/fs-oracle@sim COMMAND ${ST}/fs-oracle.test.sh $<TARGET_FILE:rtjs-sim>)
set_tests_properties(storage/fs-oracle@sim PROPERTIES TIMEOUT 120 LABELS storage)
# The large cases (a 100 MB file, 5,000 files in one directory) both ways with mtools.
add_test(NAME storage/large@sim COMMAND ${ST}/large.test.sh sim $<TARGET_FILE:rtjs-sim>)
set_tests_properties(storage/large@sim PROPERTIES TIMEOUT 600 LABELS storage)
add_test(NAME storage/large@qemu COMMAND ${ST}/large.test.sh qemu ${CMAKE_BINARY_DIR})
set_tests_properties(storage/large@qemu PROPERTIES TIMEOUT 1800 LABELS storage)
add_test(NAME storage/crash-points@sim COMMAND ${ST}/crash-points.test.sh $<TARGET_FILE:rtjs-sim> $<TARGET_FILE:disk-image>)
# About 500 fsck.fat runs on two 34-272 MB volumes: under a minute on an idle machine.
set_tests_properties(storage/crash-points@sim PROPERTIES TIMEOUT 900 LABELS storage)
