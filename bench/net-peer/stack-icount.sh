#!/usr/bin/env bash
# Guest instructions per data segment of the TCP/IP stack alone (stack-bulk.mjs: two stacks
# in one app, no device, no IPC), or with RR=1 per request and response over loopback
# (stack-rr.mjs), for each js/services/net directory given, booted one after the other on
# the same kernel and runtime under QEMU's -icount shift=0: the figures of two trees compare
# their stacks' JavaScript with nothing else changed.
# usage: bench/net-peer/stack-icount.sh NET_DIR...   (MB=16 WARMUP_MB=8, or RR=1 N=2000
#   WARM=1000; BUILD_DIR=build)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${BUILD_DIR:-$root/build}" && pwd)
if [ -n "${RR:-}" ]; then script=stack-rr.mjs sizes="${N:-2000} ${WARM:-1000}"
else script=stack-bulk.mjs sizes="${MB:-16} ${WARMUP_MB:-8}"; fi
. "$root/bench/net-peer/icount-boot.sh"
icount_begin
for dir in "$@"; do
  [ -f "$dir/stack.js" ] || { echo "stack-icount: $dir has no stack.js" >&2; exit 2; }
  rm -rf "$tmp/stage" && mkdir -p "$tmp/stage/net"
  cp "$dir"/*.js "$tmp/stage/net/" && cp "$root/bench/net-peer/$script" "$tmp/stage/"
  icount_initrd --program "$build/rtjs=/bin/rtjs" --add "$tmp/stage=/h"
  icount_boot "$build/rtjs.elf" "init=/bin/rtjs -- --single-threaded --cpus 1 /h/$script /h/net $sizes"
  for _ in $(seq 1800); do grep -q "stack-[a-z]* [0-9]\|Error" "$tmp/console" && break; kill -0 "$qemu_pid" 2>/dev/null || break; sleep 1; done
  icount_stop   # the guest powers off when the app ends
  line=$(tr -d '\r' <"$tmp/console" | grep -m1 -o "stack-[a-z]* [0-9].*\|.*Error.*" || echo "no result (the guest's console ends: $(tail -n 3 "$tmp/console" | tr '\n' ' '))")
  echo "$dir: $line"
done
