#!/usr/bin/env bash
# The SDL window under Xvfb: keys typed with --keys reach the VGA console, and a grab of the X
# screen shows text (not a blank window). usage: window.test.sh RTJS_SIM XGRAB
set -eu
sim=$1 grab=$2
here=$(cd "$(dirname "$0")" && pwd)
command -v xvfb-run >/dev/null || { echo "skipped: no xvfb-run"; exit 77; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "window: starting rtjs-sim under Xvfb"
xvfb-run -a -s "-screen 0 1300x820x24" sh -c "
  '$sim' --keys '6*7\n' '$here/window-app.js' > '$out/sim.txt' 2>&1 & pid=\$!
  sleep 1.8
  '$grab' '$out/screen.png' > '$out/grab.txt'
  wait \$pid"
cat "$out/sim.txt" "$out/grab.txt"
grep -qx '42' "$out/sim.txt" || { echo "FAIL: the console did not show 42"; exit 1; }
bright=$(sed -n 's/.*bright=\([0-9]*\).*/\1/p' "$out/grab.txt")
# '> 6*7', '42', '> ' and the cursor at 2x scale light several hundred pixels.
[ "${bright:-0}" -ge 300 ] || { echo "FAIL: the window shows $bright lit pixels: blank?"; exit 1; }
echo "ok - the SDL window shows the console text ($bright lit pixels)"
