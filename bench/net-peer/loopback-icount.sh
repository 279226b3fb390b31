#!/usr/bin/env bash
# Guest instructions per HTTP request without the device, slirp or the host's timing: boots the
# rtjs kernel under QEMU's -icount shift=0 with loopback-init.mjs (the network service on
# loopback, server.mjs's HTTP hello as an app, a keep-alive client in init), which asks WARM
# requests, then counts N more one at a time and prints the server app's and the service's
# busy time per request: under icount, microseconds of it are thousands of instructions.
# A fixed workload, so two trees compare request for request (runs differ by a few percent).
# usage: bench/net-peer/loopback-icount.sh [BUILD_DIR]   (N=1000 WARM=300; V8_FLAG: one V8 flag for every app)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
n=${N:-1000} warm=${WARM:-300}
flags=${V8_FLAG:+--v8-flags=$V8_FLAG}
. "$root/bench/net-peer/icount-boot.sh"
icount_begin
icount_initrd --add "$root/bench/net-peer=/bench"
icount_boot "$build/rtjs.elf" "init=/bin/rtjs -- --single-threaded --cpus 1 --budget 600000 $flags /bench/loopback-init.mjs /bench/server.mjs $n $warm"
while kill -0 "$qemu_pid" 2>/dev/null && ! grep -q "^loopback:" "$tmp/console" 2>/dev/null; do sleep 1; done
grep -a "^loopback:" "$tmp/console" || { echo "loopback-icount: no result" >&2; tail -n 20 "$tmp/console" >&2; exit 1; }
