#!/bin/bash
# node:fs against Node as the oracle: fs-oracle.mjs runs under Node on a fresh host
# directory and under rtjs on its /tmp; every line it prints (results, error codes,
# syscalls, messages) must be the same.
#   fs-oracle.test.sh RTJS_SIM
bin=$1
. "$(dirname "$0")/lib.sh"
command -v node >/dev/null || { echo "FAIL - node is needed as the reference"; exit 1; }

node "$here/fs-oracle.mjs" "$work/oracle" >"$work/node.txt" 2>&1 || { cat "$work/node.txt"; echo "FAIL: node"; exit 1; }
"$bin" --headless "$here/fs-oracle.mjs" /tmp/oracle >"$work/rtjs.txt" 2>&1 || { cat "$work/rtjs.txt"; echo "FAIL: rtjs"; exit 1; }
if ! diff "$work/node.txt" "$work/rtjs.txt" >"$work/diff"; then
  echo "FAIL: rtjs and Node differ (< Node, > rtjs):"; cat "$work/diff"; exit 1
fi
echo "ok - $(wc -l <"$work/node.txt") node:fs behaviours print the same under rtjs as under Node"
