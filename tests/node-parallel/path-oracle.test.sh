#!/usr/bin/env bash
# node:path against Node: path-oracle.mjs prints the same corpus's results under both, from
# the same working directory (resolve and relative use it), and they must be equal.
# usage: path-oracle.test.sh RTJS [runtime options...]
set -u
here=$(cd "$(dirname "$0")" && pwd)
command -v node >/dev/null || { echo "FAIL - node is needed as the reference"; exit 1; }
cd "$here"
expected=$(node path-oracle.mjs) || { echo "FAIL - node could not run the corpus"; exit 1; }
actual=$(timeout 120 "$@" path-oracle.mjs 2>&1)
if [ "$expected" = "$actual" ]; then
  echo "ok - $(wc -l <<<"$expected") path calls give what Node gives"
else
  echo "FAIL - node:path differs from Node:"
  diff <(echo "$expected") <(echo "$actual") | head -20
  exit 1
fi
