#!/usr/bin/env bash
# Asymmetric crypto against Node on the host: Node makes keys, signatures, ciphertexts and
# shared secrets that rtjs must read, verify, decrypt and agree with; then rtjs makes its own
# for Node to check. usage: interop.test.sh path/to/rtjs-sim [runtime options...]
set -u
here=$(cd "$(dirname "$0")" && pwd)
command -v node >/dev/null || { echo "FAIL - node is needed as the reference"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
node "$here/node-side.mjs" produce >"$tmp/node.json" || { echo "FAIL - node could not produce vectors"; exit 1; }
timeout 300 "$@" "$here/rtjs-side.mjs" "$tmp/node.json" >"$tmp/rtjs.json" 2>"$tmp/rtjs.err"
status=$?
cat "$tmp/rtjs.err"
[ $status -eq 0 ] || { echo "FAIL - rtjs status $status"; exit 1; }
node "$here/node-side.mjs" check "$tmp/rtjs.json" || exit 1
echo "ok - keys, signatures, ciphertexts and secrets agree both ways"
