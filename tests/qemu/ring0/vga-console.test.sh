#!/usr/bin/env bash
# Keys sent through the QEMU monitor (sendkey) into the VGA REPL running on the kernel make it
# evaluate 6*7, and 42 is then in VGA text memory (read back with the monitor's pmemsave).
# usage: vga-console.test.sh BUILD_DIR
set -u
root=$(cd "$(dirname "$0")/../../.." && pwd)
build=$1
. "$root/tests/qemu/ring0/monitor.sh"
"$root/scripts/mkinitrd" "$tmp/initrd.cpio" --add "$root/tests/qemu/ring0/vga-console.js=/app/vga.js" </dev/null >/dev/null
qemu_boot "$tmp/initrd.cpio" "init=/bin/rtjs -- --cpus 2 --budget 60000 /app/vga.js"
for _ in $(seq 600); do serial_has "console ready" && break; sleep 0.1; done
serial_has "console ready" || { echo "FAIL - the console did not start"; tr -d '\r' <"$tmp/serial.log" | tail -20; exit 1; }
type_text $'6*7\n'
found=0
for _ in $(seq 150); do # a hang guard; each try reads the screen once the keys are queued
  vga_screen | grep -q '^42$' && { found=1; break; }
  sleep 0.2
done
if [ $found -eq 1 ]; then
  echo "ok - 6*7 typed with sendkey shows 42 in VGA text memory"; echo "1 passed, 0 failed"; exit 0
fi
echo "FAIL - no row reads 42; the screen:"
vga_screen | head -5
tr -d '\r' <"$tmp/serial.log" | tail -10
echo "0 passed, 1 failed"; exit 1
