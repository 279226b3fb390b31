#!/usr/bin/env bash
# Keys sent through the QEMU monitor (sendkey) into the VGA REPL running on the kernel make it
# evaluate 6*7, and 42 is then in VGA text memory (read back with the monitor's pmemsave).
# usage: vga-console.test.sh BUILD_DIR
set -u
root=$(cd "$(dirname "$0")/../../.." && pwd)
build=$1
tmp=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
qpid=
cleanup() { [ -n "$qpid" ] && kill "$qpid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
"$root/scripts/mkinitrd" "$tmp/initrd.cpio" --add "$root/tests/qemu/ring0/vga-console.js=/app/vga.js" </dev/null >/dev/null
qemu-system-x86_64 -cpu max -m 1G -smp 2 -display none -no-reboot \
  -device isa-debug-exit,iobase=0xf4,iosize=0x04 -serial "file:$tmp/serial.log" \
  -monitor "tcp:127.0.0.1:$port,server,nowait" -kernel "$build/rtjs.elf" -initrd "$tmp/initrd.cpio" \
  -append "init=/bin/rtjs -- --cpus 2 --budget 60000 /app/vga.js" &
qpid=$!
for _ in $(seq 600); do grep -q "console ready" "$tmp/serial.log" 2>/dev/null && break; sleep 0.1; done
grep -q "console ready" "$tmp/serial.log" || { echo "FAIL - the console did not start"; tr -d '\r' <"$tmp/serial.log" | tail -20; exit 1; }
monitor() { # monitor CMD...: one monitor command each, over the loopback TCP monitor
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  for cmd in "$@"; do printf '%s\n' "$cmd" >&3; sleep 0.3; done
  exec 3>&-
}
monitor "sendkey 6" "sendkey shift-8" "sendkey 7" "sendkey ret"
found=0
for _ in $(seq 50); do
  monitor "pmemsave 0xb8000 4000 \"$tmp/vga.bin\""
  # Characters are the even bytes of the text buffer; rows are 80 cells.
  if [ -f "$tmp/vga.bin" ] && od -An -v -tu1 -w2 "$tmp/vga.bin" | awk '{ printf "%c", ($1 >= 32 && $1 < 127) ? $1 : 32 }' |
      fold -w 80 | grep -q '^42 *$'; then found=1; break; fi
  sleep 0.2
done
if [ $found -eq 1 ]; then
  echo "ok - 6*7 typed with sendkey shows 42 in VGA text memory"; echo "1 passed, 0 failed"; exit 0
fi
echo "FAIL - no row reads 42; the screen:"
od -An -v -tu1 -w2 "$tmp/vga.bin" 2>/dev/null | awk '{ printf "%c", ($1 >= 32 && $1 < 127) ? $1 : 32 }' | fold -w 80 | head -5
tr -d '\r' <"$tmp/serial.log" | tail -10
echo "0 passed, 1 failed"; exit 1
