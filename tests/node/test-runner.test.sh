#!/usr/bin/env bash
# node:test against Node: each program in test-runner/ must write the TAP report Node
# writes on stdout (duration and stack lines aside: they differ from run to run and from
# engine to engine), the order its bodies and hooks run in on stderr, and end with Node's
# status.
# usage: test-runner.test.sh RTJS [runtime options...]
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../checks.sh"
command -v node >/dev/null || { echo "FAIL - node is needed as the reference"; exit 1; }
rtjs=$(realpath "$1"); shift
cd "$here/test-runner"

# The report without what varies: durations, and each 'stack: |-' block's lines.
stable() {
  awk '/duration_ms/ { next }
    /^ *stack: \|-$/ { match($0, /^ */); skip = RLENGTH; next }
    skip >= 0 { match($0, /^ */); if (RLENGTH > skip) next; skip = -1 }
    { print }' skip=-1 "$1"
}

warnings() { sed -E '/--trace-warnings/d; s/^\((node|rtjs):[0-9]+\) //' "$1"; }

for f in *.mjs *.cjs; do
  node "$f" >"$tmp/node.out" 2>"$tmp/node.err"
  node_status=$?
  timeout 120 "$rtjs" "$@" "$f" >"$tmp/rtjs.out" 2>"$tmp/rtjs.err"
  status=$?
  if ! diff <(stable "$tmp/node.out") <(stable "$tmp/rtjs.out") >"$tmp/diff"; then
    fail "$f: the report differs from Node's" "$tmp/diff"
  # Warnings name the process (Node's pid, rtjs's app id): only their text is compared.
  elif ! diff <(warnings "$tmp/node.err") <(warnings "$tmp/rtjs.err") >/dev/null; then
    fail "$f: the bodies and hooks ran in another order than under Node: $(diff "$tmp/node.err" "$tmp/rtjs.err" | head -8 | tr '\n' ' ')"
  elif [ "$status" != "$node_status" ]; then
    fail "$f: status $status, Node's is $node_status"
  else
    ok "$f: as Node (status $status)"
  fi
done
finish
