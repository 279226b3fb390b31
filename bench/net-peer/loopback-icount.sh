#!/usr/bin/env bash
# Guest instructions per HTTP request without the device, slirp or the host's timing: boots the
# rtjs kernel under QEMU's -icount shift=0 with loopback-init.mjs (the network service on
# loopback, server.mjs's HTTP hello as an app, a keep-alive client in init), which asks WARM
# requests, then counts N more one at a time and prints the server app's and the service's
# busy time per request: under icount, microseconds of it are thousands of instructions.
# A fixed workload, so two trees compare request for request (runs differ by a few percent).
# usage: bench/net-peer/loopback-icount.sh [BUILD_DIR]   (N=1000 WARM=300)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
n=${N:-1000} warm=${WARM:-300}
tmp=$(mktemp -d)
qemu_pid=
trap '[ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
"$root/scripts/mkinitrd" "$tmp/initrd.cpio" --add "$root/bench/net-peer=/bench" >/dev/null
qemu-system-x86_64 -m 1G -smp 1 -cpu max -icount shift=0 -display none -no-reboot -monitor none \
  -serial "file:$tmp/console" -kernel "$build/rtjs.elf" -initrd "$tmp/initrd.cpio" \
  -append "init=/bin/rtjs -- --single-threaded --cpus 1 --budget 600000 /bench/loopback-init.mjs /bench/server.mjs $n $warm" &
qemu_pid=$!
while kill -0 "$qemu_pid" 2>/dev/null && ! grep -q "^loopback:" "$tmp/console" 2>/dev/null; do sleep 1; done
grep -a "^loopback:" "$tmp/console" || { echo "loopback-icount: no result" >&2; tail -n 20 "$tmp/console" >&2; exit 1; }
