#!/usr/bin/env bash
# The SDL window under Xvfb: keys typed with --keys reach the VGA console, and a grab of the X
# screen shows text (not a blank window). The grab waits for the app's 'screen ready' and is
# repeated until the window has drawn the text (it redraws ~30 times a second), within a hang
# guard. usage: window.test.sh RTJS_SIM XGRAB
set -eu
sim=$1 grab=$2
here=$(cd "$(dirname "$0")" && pwd)
command -v xvfb-run >/dev/null || { echo "skipped: no xvfb-run"; exit 77; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# The app runs from $out: it sees 'grabbed' appear next to it (its own directory).
cp "$here/window-app.js" "$here/wait-for.js" "$out/"
echo "window: starting rtjs-sim under Xvfb"
# '> 6*7', '42', '> ' and the cursor at 2x scale light several hundred pixels.
min_bright=300
xvfb-run -a -s "-screen 0 1300x820x24" bash -c '
  sim=$1 grab=$2 out=$3 min=$4
  "$sim" --keys "6*7\n" "$out/window-app.js" > "$out/sim.txt" 2>&1 & pid=$!
  for _ in $(seq 900); do grep -qx "screen ready" "$out/sim.txt" && break; kill -0 $pid 2>/dev/null || break; sleep 0.1; done
  for _ in $(seq 100); do
    "$grab" "$out/screen.png" > "$out/grab.txt"
    bright=$(sed -n "s/.*bright=\([0-9]*\).*/\1/p" "$out/grab.txt")
    [ "${bright:-0}" -ge "$min" ] && break
    sleep 0.1
  done
  touch "$out/grabbed"
  wait $pid' _ "$sim" "$grab" "$out" "$min_bright"
cat "$out/sim.txt" "$out/grab.txt"
grep -qx '42' "$out/sim.txt" || { echo "FAIL: the console did not show 42"; exit 1; }
bright=$(sed -n 's/.*bright=\([0-9]*\).*/\1/p' "$out/grab.txt")
[ "${bright:-0}" -ge "$min_bright" ] || { echo "FAIL: the window shows $bright lit pixels: blank?"; exit 1; }
echo "ok - the SDL window shows the console text ($bright lit pixels)"
