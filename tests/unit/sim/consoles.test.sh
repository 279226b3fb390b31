#!/usr/bin/env bash
# The VGA and serial REPLs at the same time, typed at with scripted input: keys on the PS/2
# keyboard (--keys) and bytes on COM1 (--serial-input); the --screenshot PNG shows the text.
# Each step waits for its event (the app's 'screen ready', the answer on COM1, the screenshot
# the app sees), never for a fixed time. usage: consoles.test.sh RTJS_SIM PNGSTAT
set -eu
sim=$1 pngstat=$2
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$out"' EXIT
# The app runs from $out: it sees the screenshot appear next to it (its own directory).
cp "$here/consoles-app.js" "$here/wait-for.js" "$out/"
echo "consoles: typing 6*7 on the keyboard and 'a'.repeat(3) on COM1"
"$sim" --headless --keys '6*7\n' --serial-input "'a'.repeat(3)\\r" --serial-log "$out/com1.txt" \
  --screenshot "$out/screen.png" \
  "$out/consoles-app.js" > "$out/sim.txt" &
pid=$!
answered() { grep -qx 'screen ready' "$out/sim.txt" && tr -d '\r' < "$out/com1.txt" | grep -qx "'aaa'"; }
for _ in $(seq 900); do answered 2>/dev/null && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
answered 2>/dev/null || { echo "FAIL: the consoles did not both answer"; cat "$out/sim.txt"; exit 1; }
kill -USR1 "$pid"   # a screenshot on request, while the app still runs (it ends when it sees it)
wait "$pid"
pid=
cat "$out/sim.txt"
tr -d '\r' < "$out/com1.txt" > "$out/com1-lf.txt"
echo "com1:"; cat "$out/com1-lf.txt"; echo
grep -qx 'vga: 42' "$out/sim.txt" || { echo "FAIL: 42 is not on the VGA screen"; exit 1; }
grep -qx "'aaa'" "$out/com1-lf.txt" || { echo "FAIL: 'aaa' did not come back on COM1"; exit 1; }
stat=$("$pngstat" "$out/screen.png")
echo "screenshot: $stat"
bright=$(echo "$stat" | sed -n 's/.*bright=\([0-9]*\).*/\1/p')
case "$stat" in "width=640 height=400 "*) ;; *) echo "FAIL: screenshot is not 640x400"; exit 1 ;; esac
# '> 6*7', '42', '>' and the cursor in light grey: about 200 lit pixels; a blank screen has none.
[ "${bright:-0}" -ge 100 ] || { echo "FAIL: the screenshot has $bright lit pixels: blank?"; exit 1; }
echo "ok - both consoles evaluated their input; the screenshot shows it"
