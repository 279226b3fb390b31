# Bootable images (scripts/mkimage) on firmware: UEFI (Debian's OVMF) and the framebuffer console.
add_test(NAME image/uefi-console@qemu COMMAND ${CMAKE_CURRENT_LIST_DIR}/image/uefi-console.test.sh ${CMAKE_BINARY_DIR})
set_tests_properties(image/uefi-console@qemu PROPERTIES TIMEOUT 1200 LABELS image)
# ICU's data for English only (--icu small): the runtime's archive as mkinitrd makes it then.
add_test(NAME image/icu-small@qemu COMMAND ${CMAKE_CURRENT_LIST_DIR}/boot-check.sh ${CMAKE_BINARY_DIR} image/icu-small
  --initrd-args "--icu small --add ${CMAKE_SOURCE_DIR}/js=/js --add ${CMAKE_SOURCE_DIR}/tests/js=/tests/js --add ${CMAKE_CURRENT_LIST_DIR}/image/icu-small.test.js=/tests/image/icu-small.test.js"
  --cmdline "init=/bin/rtjs -- --single-threaded --cpus 1 --budget 60000 /tests/image/icu-small.test.js"
  --status 0 --summary)
set_tests_properties(image/icu-small@qemu PROPERTIES TIMEOUT 600 LABELS image)
