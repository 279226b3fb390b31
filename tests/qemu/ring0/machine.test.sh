#!/usr/bin/env bash
# The JS drivers on the kernel against QEMU's own view of the machine: the PCI functions
# JavaScript enumerates are exactly those QEMU's monitor lists (`info pci`), the RTC the
# driver reads is within 2 s of the host clock, and `rt.exit(5)` in init powers the machine
# off with status 5.
# usage: machine.test.sh BUILD_DIR
set -u
root=$(cd "$(dirname "$0")/../../.." && pwd)
build=$1
. "$root/tests/checks.sh"

"$root/scripts/mkinitrd" "$tmp/initrd.cpio" --add "$root/tests/qemu/ring0/machine.js=/app/machine.js" </dev/null >/dev/null
"$root/scripts/qemu-run" -q -k "$build/rtjs.elf" -r "$tmp/initrd.cpio" -t 120 -l "$tmp/log" \
  -a "init=/bin/rtjs -- --single-threaded --cpus 1 --budget 60000 /app/machine.js 5" >/dev/null 2>&1
status=$?
host_now=$(date +%s)
tr -d '\r' <"$tmp/log" >"$tmp/out"

# What QEMU says the same machine has: vendor:device of every function.
printf 'info pci\nquit\n' | timeout 30 qemu-system-x86_64 -cpu max -m 1G -display none -S -monitor stdio \
  -device isa-debug-exit,iobase=0xf4,iosize=0x04 2>/dev/null | tr -d '\r' |
  sed -n 's/.*PCI device \([0-9a-f]\{4\}:[0-9a-f]\{4\}\).*/\1/p' | sort >"$tmp/qemu-ids"
sed -n 's/^pci [0-9]*:[0-9]*\.[0-9] \([0-9a-f:]*\)$/\1/p' "$tmp/out" | sort >"$tmp/js-ids"
if [ -s "$tmp/qemu-ids" ] && cmp -s "$tmp/qemu-ids" "$tmp/js-ids"; then
  ok "JavaScript enumerates the $(wc -l <"$tmp/qemu-ids") PCI functions QEMU reports"
else
  fail "PCI: QEMU reports [$(tr '\n' ' ' <"$tmp/qemu-ids")], JavaScript found [$(tr '\n' ' ' <"$tmp/js-ids")]"
fi
rtc=$(sed -n 's/^rtc \([0-9]*\)$/\1/p' "$tmp/out")
# The line was printed just before the power-off (under a second): allow 2 s either way + 1.
if [ -n "$rtc" ] && [ $((host_now - rtc)) -ge -2 ] && [ $((host_now - rtc)) -le 3 ]; then
  ok "the RTC driver reads the host's time ($((host_now - rtc)) s before the run ended)"
else
  fail "RTC: JavaScript read '${rtc:-nothing}', host time $host_now"
fi
if [ $status -eq 5 ] && grep -q "^rtjs: power-off status=5$" "$tmp/out"; then
  ok "init's rt.exit(5) powers the machine off with status 5"
else
  fail "power-off: qemu-run status $status"
fi
[ $failed -eq 0 ] || { echo "--- serial log ---"; tail -n 30 "$tmp/out"; }
finish
