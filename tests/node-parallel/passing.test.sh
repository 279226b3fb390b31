#!/usr/bin/env bash
# Node's test/parallel files that rtjs passes (passing.txt, written from run.sh's
# $OUT/passing.txt) keep passing: each runs unchanged beside our `common` helper, as
# run.sh runs it. Needs a checkout holding test/parallel and test/fixtures (nodejs/node or
# denoland/node_test) named by NODE_TESTS; without one the test is skipped (77), since the
# test run fetches nothing.
# usage: NODE_TESTS=DIR passing.test.sh RTJS [runtime options...]
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=${NODE_TESTS:-}
if [ -z "$src" ] || [ ! -d "$src/test/parallel" ]; then
  echo "skipped: NODE_TESTS names no checkout of Node's test/parallel"
  exit 77
fi
rtjs=$(realpath "$1"); shift
. "$here/../checks.sh"
mkdir -p "$tmp/test/parallel"
cp -r "$here/common" "$tmp/test/common"
[ -d "$src/test/fixtures" ] && cp -r "$src/test/fixtures" "$tmp/test/fixtures"
echo '{}' >"$tmp/test/package.json"
while read -r name; do
  case $name in '' | '#'*) continue ;; esac
  if [ ! -f "$src/test/parallel/$name" ]; then
    fail "$name: not in $src/test/parallel"
    continue
  fi
  cp "$src/test/parallel/$name" "$tmp/test/parallel/$name"
  # A file that asks for enoughTestMem gets 2 GiB, as run.sh gives it.
  memory=()
  grep -q enoughTestMem "$tmp/test/parallel/$name" && memory=(--heap-limit 2048)
  if (cd "$tmp/test/parallel" && timeout 120 "$rtjs" "$@" --budget 60000 "${memory[@]}" "$name" >"$tmp/out" 2>&1) &&
    ! grep -q '^1\.\.0 # Skipped' "$tmp/out"; then
    ok "$name"
  else
    fail "$name" "$tmp/out"
  fi
done <"$here/passing.txt"
finish
