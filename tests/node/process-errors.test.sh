#!/usr/bin/env bash
# Errors nobody catches, against Node: each program in process-errors/ must print on
# stdout what it prints under Node and end with the same status; when Node reports the
# error on stderr (no listener took it), rtjs's report names the same error and message.
# usage: process-errors.test.sh RTJS [runtime options...]
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../checks.sh"
command -v node >/dev/null || { echo "FAIL - node is needed as the reference"; exit 1; }
rtjs=$(realpath "$1"); shift
cd "$here/process-errors"
for f in *.mjs *.cjs; do
  node "$f" >"$tmp/node.out" 2>"$tmp/node.err"
  node_status=$?
  timeout 60 "$rtjs" "$@" "$f" >"$tmp/rtjs.out" 2>"$tmp/rtjs.err"
  status=$?
  if ! cmp -s "$tmp/node.out" "$tmp/rtjs.out"; then
    fail "$f: stdout differs from Node's: $(diff "$tmp/node.out" "$tmp/rtjs.out" | head -6 | tr '\n' ' ')"
  elif [ "$status" != "$node_status" ]; then
    fail "$f: status $status, Node's is $node_status ($(head -c 300 "$tmp/rtjs.err"))"
  else
    missing=$(grep -E '^[A-Za-z]*Error: ' "$tmp/node.err" | while IFS= read -r line; do
      grep -qF -- "$line" "$tmp/rtjs.err" || echo "$line"; done)
    if [ -n "$missing" ]; then
      fail "$f: the report does not name '$missing': $(head -c 300 "$tmp/rtjs.err")"
    else
      ok "$f: as Node (status $status)"
    fi
  fi
done
finish
