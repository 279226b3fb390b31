#!/usr/bin/env bash
# The consoles app on a machine with a framebuffer and no VGA text mode (as UEFI leaves it):
# 6*7 typed on the PS/2 keyboard (--keys), and the --screenshot PNG read back glyph by glyph
# against the console font file (tests/qemu/image/find-text.py): '42' must be drawn.
# usage: consoles.sh RTJS_SIM
set -eu
sim=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$sim" --headless --framebuffer 800x600 --keys '6*7\n' --screenshot "$out/screen.png" \
  "$root/tests/unit/sim/consoles-app.js" >"$out/sim.txt"
if grep -q '^errors:' "$out/sim.txt"; then cat "$out/sim.txt"; echo "FAIL: the consoles did not all start"; exit 1; fi
python3 "$root/tests/qemu/image/find-text.py" "$out/screen.png" '> 6*7'
python3 "$root/tests/qemu/image/find-text.py" "$out/screen.png" '42'
echo "ok - the framebuffer console evaluated 6*7 typed on the keyboard and drew 42"
