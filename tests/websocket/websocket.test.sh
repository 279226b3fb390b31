#!/usr/bin/env bash
# The WebSocket client against a real server: the `ws` npm package run by the host's Node on
# loopback (peer.mjs), reached by rtjs over user-mode networking (libslirp) as 10.0.2.2, on
# rtjs-sim (--net user) or on the kernel in QEMU (-netdev user).
#   websocket.test.sh install FIXTURE_DIR            installs ws there (npm ci, once per lock)
#   websocket.test.sh sim|kernel FIXTURE_DIR BUILD_DIR
# The checks are in client.js; its summary line is this test's.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mode=$1 fixture=$2

if [ "$mode" = install ]; then
  mkdir -p "$fixture"
  cp "$here/package.json" "$here/package-lock.json" "$fixture/"
  if ! cmp -s "$here/package-lock.json" "$fixture/.installed-lock"; then
    (cd "$fixture" && npm ci --no-audit --no-fund --loglevel=error) || { echo "FAIL - npm ci of the ws peer"; exit 1; }
    cp "$here/package-lock.json" "$fixture/.installed-lock"
  fi
  echo "ok - ws installed in $fixture"
  exit 0
fi

build=$3
command -v node >/dev/null || { echo "FAIL - node is needed to run the ws peer"; exit 1; }
[ -f "$fixture/node_modules/ws/package.json" ] || { echo "FAIL - ws is not installed in $fixture (websocket/install@setup)"; exit 1; }
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL - websocket-$mode: $*"; echo "--- peer:"; tail -n 20 "$tmp/peer.log"; exit 1; }

# The peer reads stdin only to end with it: a pipe that stays open while this script runs.
mkfifo "$tmp/peer.in"
NODE_PATH="$fixture/node_modules" node "$here/peer.mjs" <"$tmp/peer.in" >"$tmp/peer.log" 2>&1 &
pids+=($!)
exec 3>"$tmp/peer.in"
for _ in $(seq 100); do
  port=$(sed -n 's/^listening \([0-9]*\)$/\1/p' "$tmp/peer.log")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "${port:-}" ] || fail "the ws peer did not start"

# The client's own summary line judges it (tests/rules.cmake): run-test.sh hosted,
# boot-check.sh --summary on the kernel.
if [ "$mode" = sim ]; then
  cd "$root/tests/websocket" && "$root/tests/js/run-test.sh" timeout 240 "$build/rtjs-sim" --headless --net user client.js "$port"
  exit $?
fi
"$root/tests/qemu/boot-check.sh" "$build" websocket/client \
  --initrd-args "--add $root/js=/js --add $root/tests/js=/tests/js --add $root/tests/websocket=/tests/websocket" \
  --cmdline "init=/bin/rtjs -- --single-threaded --cpus 1 --budget 60000 /tests/websocket/client.js $port 20000" \
  --status 0 --summary --timeout 420 \
  -- -- -netdev user,id=n0 -device virtio-net-pci,netdev=n0,disable-legacy=on
