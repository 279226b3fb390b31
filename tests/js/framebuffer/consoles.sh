#!/usr/bin/env bash
# The consoles app on a machine with a framebuffer and no VGA text mode (as UEFI leaves it):
# 6*7 typed on the PS/2 keyboard (--keys), and the --screenshot PNG read back glyph by glyph
# against the console font file (tests/qemu/image/find-text.py): '42' must be drawn. The
# screenshot is asked for (SIGUSR1) once the app has seen 42 on its screen; the app ends when
# the file is there. usage: consoles.sh RTJS_SIM
set -eu
sim=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$out"' EXIT
# The app runs from $out: it sees the screenshot appear next to it (its own directory).
cp "$root/tests/unit/sim/consoles-app.js" "$root/tests/unit/sim/wait-for.js" "$out/"
"$sim" --headless --framebuffer 800x600 --keys '6*7\n' --screenshot "$out/screen.png" \
  "$out/consoles-app.js" >"$out/sim.txt" &
pid=$!
for _ in $(seq 900); do grep -qx 'screen ready' "$out/sim.txt" && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -USR1 "$pid" 2>/dev/null || true
wait "$pid" || { cat "$out/sim.txt"; echo "FAIL: the consoles app failed"; exit 1; }
pid=
if grep -q '^errors:' "$out/sim.txt"; then cat "$out/sim.txt"; echo "FAIL: the consoles did not all start"; exit 1; fi
python3 "$root/tests/qemu/image/find-text.py" "$out/screen.png" '> 6*7'
python3 "$root/tests/qemu/image/find-text.py" "$out/screen.png" '42'
echo "ok - the framebuffer console evaluated 6*7 typed on the keyboard and drew 42"
