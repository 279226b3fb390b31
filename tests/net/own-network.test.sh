#!/usr/bin/env bash
# A Node program run as the machine's only app, with a NIC on QEMU's (or libslirp's) user
# network and no network handed to it: its first socket starts the network service (DHCP on
# the device), it talks TCP to itself on loopback, and it ends by itself with status 0 once
# its sockets are closed, the service with it.
# usage: own-network.test.sh sim|kernel BUILD_DIR
set -u
target=$1 build=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
app="$root/tests/cli/fixtures/net-own.js"
if [ "$target" = sim ]; then
  out=$(timeout 120 "$build/rtjs-sim" --headless --net user "$app" </dev/null 2>&1)
else
  out=$(timeout 280 "$root/scripts/rtjs-run" "$build" --net user "$app" </dev/null 2>&1)
fi
status=$?
out=$(printf '%s\n' "$out" | tr -d '\r')
want=$(printf 'hello over loopback\nECONNREFUSED')
if [ $status -eq 0 ] && [ "$(printf '%s\n' "$out" | grep -v '^rtjs-sim: net:')" = "$want" ]; then
  echo "ok - the program used its own network and ended with status 0"
  exit 0
fi
echo "FAIL - status $status, output:"
printf '%s\n' "$out" | tail -20
exit 1
