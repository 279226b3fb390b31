#!/usr/bin/env bash
# Guest instructions per data segment of the TCP/IP stack alone (stack-bulk.mjs: two stacks
# in one app, no device, no IPC), for each js/services/net directory given, booted one after
# the other on the same kernel and runtime under QEMU's -icount shift=0: the figures of two
# trees compare their stacks' JavaScript with nothing else changed.
# usage: bench/net-peer/stack-icount.sh NET_DIR...   (MB=16 WARMUP_MB=8; BUILD_DIR=build)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${BUILD_DIR:-$root/build}" && pwd)
mb=${MB:-16} warmup=${WARMUP_MB:-8}
tmp=$(mktemp -d)
qemu_pid=
trap '[ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
for dir in "$@"; do
  [ -f "$dir/stack.js" ] || { echo "stack-icount: $dir has no stack.js" >&2; exit 2; }
  rm -rf "$tmp/stage" && mkdir -p "$tmp/stage/net"
  cp "$dir"/*.js "$tmp/stage/net/" && cp "$root/bench/net-peer/stack-bulk.mjs" "$tmp/stage/"
  "$root/scripts/mkinitrd" "$tmp/initrd.cpio" --program "$build/rtjs=/bin/rtjs" --add "$tmp/stage=/h" >/dev/null
  : >"$tmp/console"
  qemu-system-x86_64 -m 1G -smp 1 -cpu max -icount shift=0 -display none -no-reboot -monitor none \
    -serial "file:$tmp/console" -kernel "$build/rtjs.elf" -initrd "$tmp/initrd.cpio" \
    -append "init=/bin/rtjs -- --single-threaded --cpus 1 /h/stack-bulk.mjs /h/net $mb $warmup" &
  qemu_pid=$!
  for _ in $(seq 1800); do grep -q "stack-bulk [0-9]\|Error" "$tmp/console" && break; kill -0 "$qemu_pid" 2>/dev/null || break; sleep 1; done
  kill "$qemu_pid" 2>/dev/null || true   # the guest powers off when the app ends
  wait "$qemu_pid" 2>/dev/null || true; qemu_pid=
  line=$(tr -d '\r' <"$tmp/console" | grep -m1 -o "stack-bulk [0-9].*\|.*Error.*" || echo "no result (the guest's console ends: $(tail -n 3 "$tmp/console" | tr '\n' ' '))")
  echo "$dir: $line"
done
