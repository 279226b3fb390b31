# Virtio on the kernel in QEMU: the same JavaScript drivers and tests as in rtjs-sim
# (tests/js/net/), against QEMU's virtio-net-pci (modern only) on -netdev user and its
# virtio-rng-pci. Interrupts are INTx through the IOAPIC.
set(VIRTIO_NET_QEMU "-netdev user,id=n0 -device virtio-net-pci,netdev=n0,disable-legacy=on,disable-modern=off")
ring0_test(virtio-net
  --initrd-args "${R0_JS_INITRD}"
  --qemu "${VIRTIO_NET_QEMU}"
  --cmdline "${R0_RTJS} /tests/js/net/virtio-net.js" --status 0
  --expect "^10\\.0\\.2\\.2 is at 52:55:0a:00:02:02$" --expect "^interrupts: [1-9][0-9]* by intx on line (10|11)$"
  --expect "^4 passed, 0 failed$")
ring0_test(virtio-net-mac
  --initrd-args "${R0_JS_INITRD}"
  --qemu "-netdev user,id=n0 -device virtio-net-pci,netdev=n0,disable-legacy=on,mac=02:00:5e:10:20:30"
  --cmdline "${R0_RTJS} /tests/js/net/virtio-net.js 02:00:5e:10:20:30" --status 0
  --expect "^4 passed, 0 failed$")
ring0_test(virtio-rng
  --initrd-args "${R0_JS_INITRD}"
  --qemu "-device virtio-rng-pci,disable-legacy=on"
  --cmdline "${R0_RTJS} /tests/js/net/virtio-rng.js" --status 0
  --expect "^2 passed, 0 failed$")
