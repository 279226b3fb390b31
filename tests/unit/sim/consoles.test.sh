#!/usr/bin/env bash
# The VGA and serial REPLs at the same time, typed at with scripted input: keys on the PS/2
# keyboard (--keys) and bytes on COM1 (--serial-input). usage: consoles.test.sh RTJS_SIM
set -eu
sim=$1
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "consoles: typing 6*7 on the keyboard and 'a'.repeat(3) on COM1"
"$sim" --headless --keys '6*7\n' --serial-input "'a'.repeat(3)\\r" --serial-log "$out/com1.txt" \
  "$here/consoles-app.js" > "$out/sim.txt"
cat "$out/sim.txt"
tr -d '\r' < "$out/com1.txt" > "$out/com1-lf.txt"
echo "com1:"; cat "$out/com1-lf.txt"; echo
grep -qx 'vga: 42' "$out/sim.txt" || { echo "FAIL: 42 is not on the VGA screen"; exit 1; }
grep -qx "'aaa'" "$out/com1-lf.txt" || { echo "FAIL: 'aaa' did not come back on COM1"; exit 1; }
echo "ok - both consoles evaluated their input"
