# Virtio on the kernel in QEMU: the same JavaScript drivers and tests as in rtjs-sim
# (tests/js/net/), against QEMU's virtio-net-pci (modern only) on -netdev user and its
# virtio-rng-pci; interrupts by MSI-X (a vector per queue, to the driver's CPU) in one run
# and by INTx through the IOAPIC in the other.
ring0_test(net/virtio-net-msix
  --initrd-args "${R0_JS_INITRD}"
  --qemu "-netdev user,id=n0 -device virtio-net-pci,netdev=n0,disable-legacy=on,disable-modern=off"
  --cmdline "${R0_RTJS} /tests/js/net/virtio-net.js 52:54:00:12:34:56 msix" --status 0
  --expect "^10\\.0\\.2\\.2 is at 52:55:0a:00:02:02$" --expect "^interrupts: [1-9][0-9]* by msix \\(3 vectors\\)$"
  --expect "^4 passed, 0 failed$" --summary)
ring0_test(net/virtio-net-intx
  --initrd-args "${R0_JS_INITRD}"
  --qemu "-netdev user,id=n0 -device virtio-net-pci,netdev=n0,disable-legacy=on,mac=02:00:5e:10:20:30"
  --cmdline "${R0_RTJS} /tests/js/net/virtio-net.js 02:00:5e:10:20:30 intx" --status 0
  --expect "^10\\.0\\.2\\.2 is at 52:55:0a:00:02:02$" --expect "^interrupts: [1-9][0-9]* by intx on line (10|11)$"
  --expect "^4 passed, 0 failed$" --summary)
ring0_test(net/virtio-rng-msix
  --initrd-args "${R0_JS_INITRD}"
  --qemu "-device virtio-rng-pci,disable-legacy=on"
  --cmdline "${R0_RTJS} /tests/js/net/virtio-rng.js msix" --status 0
  --expect "^interrupts: [1-9][0-9]* by msix$" --expect "^2 passed, 0 failed$" --summary)
ring0_test(net/msi-reuse
  --initrd-args "${R0_JS_INITRD}"
  --qemu "-netdev user,id=n0 -device virtio-net-pci,netdev=n0,disable-legacy=on,disable-modern=off"
  --cmdline "${R0_RTJS} /tests/js/net/msi-reuse.js 12" --status 0
  --expect "^vectors per app: 32$" --expect "^2 passed, 0 failed$" --summary)
# virtio-rng as the machine's entropy source: alongside RDRAND, and on a CPU without RDRAND,
# where it is the only source (random numbers fail before the entropy service runs).
ring0_test(net/entropy
  --initrd-args "${R0_JS_INITRD}"
  --qemu "-device virtio-rng-pci,disable-legacy=on"
  --cmdline "${R0_RTJS} /tests/js/net/entropy.js" --status 0
  --expect "^entropy: 64 bytes from virtio-rng .*, before: worked$" --expect "^2 passed, 0 failed$" --summary)
ring0_test(net/entropy-no-rdrand
  --initrd-args "${R0_JS_INITRD}"
  --qemu "-cpu max,rdrand=off -device virtio-rng-pci,disable-legacy=on"
  --cmdline "${R0_RTJS} /tests/js/net/entropy.js no-rdrand" --status 0
  --expect "^entropy: 64 bytes from virtio-rng .*, before: failed$" --expect "^2 passed, 0 failed$" --summary)
# The stack's limits on the kernel: the leak test bounded for TCG (2,000 connections opened,
# used and closed over loopback leave no connection, timer or heap growth) and the SYN flood.
ring0_test(net/limits
  --initrd-args "${R0_JS_INITRD}"
  --cmdline "${R0_RTJS} /tests/js/net/limits.js 2000" --status 0 --timeout 400
  --expect "^2000 connections in " --expect "^2 passed, 0 failed$" --summary)
set_tests_properties(net/limits@qemu PROPERTIES TIMEOUT 480 LABELS "js;net")
