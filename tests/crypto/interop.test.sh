#!/usr/bin/env bash
# Crypto against Node on the host, both ways: Node produces vectors (keys, signatures,
# ciphertexts, digests, derived keys, errors) that rtjs must read, verify, decrypt and
# recompute; then rtjs makes its own for Node to check.
# usage: interop.test.sh SUITE path/to/rtjs-sim [runtime options...]
#   SUITE: interop (asymmetric: interop.mjs), symmetric (symmetric.mjs) or dh (dh.mjs)
set -u
here=$(cd "$(dirname "$0")" && pwd)
suite=$1
shift
command -v node >/dev/null || { echo "FAIL - node is needed as the reference"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
node "$here/node-side.mjs" produce "$suite" >"$tmp/node.json" || { echo "FAIL - node could not produce vectors"; exit 1; }
timeout 300 "$@" "$here/rtjs-side.mjs" "$tmp/node.json" "$suite" >"$tmp/rtjs.json" 2>"$tmp/rtjs.err"
status=$?
cat "$tmp/rtjs.err"
[ $status -eq 0 ] || { echo "FAIL - rtjs status $status"; exit 1; }
node "$here/node-side.mjs" check "$suite" "$tmp/rtjs.json" || exit 1
echo "ok - $suite: both runtimes agree on each other's vectors"
