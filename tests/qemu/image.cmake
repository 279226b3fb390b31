# Bootable images (scripts/mkimage) on firmware: UEFI (Debian's OVMF) and the framebuffer console.
add_test(NAME image/uefi-console@qemu COMMAND ${CMAKE_CURRENT_LIST_DIR}/image/uefi-console.test.sh ${CMAKE_BINARY_DIR})
set_tests_properties(image/uefi-console@qemu PROPERTIES TIMEOUT 1200 LABELS image)
