#!/usr/bin/env bash
# Runs one JavaScript test file (any command line ending in one) and judges it by its exit
# status AND the last line of its standard output (the app's console; the runtime's own
# diagnostics go to standard error), which tests/js/harness.js writes: "N passed, 0 failed"
# with N >= 1.
# A file that stopped early, or registered no test, fails even when its status was 0.
# Status 77 (skipped: the file cannot run here, it said why) passes through.
# usage: run-test.sh COMMAND [ARGS]...
set -u
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$@" | tee "$out"
status=${PIPESTATUS[0]}
[ "$status" -eq 77 ] && exit 77
last=$(grep -v '^[[:space:]]*$' "$out" | tail -n 1)
if [ "$status" -ne 0 ]; then
  echo "run-test: exit status $status"
  exit 1
fi
if ! [[ $last =~ ^[1-9][0-9]*\ passed,\ 0\ failed$ ]]; then
  echo "run-test: ended without its summary line 'N passed, 0 failed' (N >= 1); last line: '$last'"
  exit 1
fi
