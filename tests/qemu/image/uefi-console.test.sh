#!/usr/bin/env bash
# The framebuffer console on UEFI: an image of the consoles app boots with OVMF, where GRUB
# hands over a graphics mode (no VGA text); 6*7 is typed with QEMU's sendkey, each key once
# the previous one is drawn, and QEMU's screendump is read back glyph by glyph against the
# console font file (find-text.py): the console must draw '42'. Each wait is a hang guard.
# usage: uefi-console.test.sh BUILD_DIR
set -u
root=$(cd "$(dirname "$0")/../../.." && pwd)
build=$1
. "$root/tests/qemu/ring0/monitor.sh"
find_text=$root/tests/qemu/image/find-text.py
# QEMU runs under qemu-run's hang guard (`timeout`, in a process group of its own): it is
# ended through the monitor, then qemu-run is waited for.
stop() {
  if [ -n "$qpid" ] && kill -0 "$qpid" 2>/dev/null; then monitor quit 2>/dev/null; wait "$qpid"; fi
  rm -rf "$tmp"
}
trap stop EXIT
fail() {
  echo "FAIL - $1"
  echo "--- the kernel's log (COM2) ---"; tr -d '\r' <"$tmp/klog.log" 2>/dev/null | tail -n 15
  echo "0 passed, 1 failed"; exit 1
}
"$root/scripts/mkimage" "$build" rtjs:apps/consoles.js -o "$tmp/consoles.img" </dev/null >"$tmp/mkimage.log" 2>&1 ||
  fail "mkimage: $(cat "$tmp/mkimage.log")"
"$root/scripts/qemu-run" -U -D "$tmp/consoles.img" -q -l "$tmp/serial.log" -L "$tmp/klog.log" -t 1150 \
  -- -qmp "unix:$tmp/qmp.sock,server=on,wait=off" </dev/null &
qpid=$!

# The serial console's prompt (after GRUB's "\n\r"): the consoles app has started both
# consoles, the screen's first.
prompted() { LC_ALL=C grep -qaE $'(^|\r)> ' "$tmp/serial.log" 2>/dev/null; }
for _ in $(seq 1200); do
  prompted && break
  kill -0 "$qpid" 2>/dev/null || fail "the consoles did not start (QEMU ended)"
  sleep 0.5
done
prompted || fail "the consoles did not start"

drawn() { # drawn TEXT WHAT: until TEXT is drawn in one row of the screen, else fail WHAT
  for _ in $(seq 240); do
    monitor "screendump $tmp/screen.ppm" && python3 "$find_text" "$tmp/screen.ppm" "$1" >"$tmp/found" && return 0
    sleep 0.5
  done
  fail "$2"
}
drawn '>' "no prompt on the framebuffer console"
typed='> '
for key in 6 shift-8 7; do
  monitor "sendkey $key"
  case $key in shift-8) typed+='*' ;; *) typed+=$key ;; esac
  drawn "$typed" "'$typed' is not drawn after sendkey $key"
done
monitor "sendkey ret"
drawn 42 "42 is not drawn after Enter"
cat "$tmp/found"
echo "ok - on OVMF the framebuffer console evaluated 6*7 typed with sendkey and drew 42"
echo "1 passed, 0 failed"
