#!/usr/bin/env bash
# tests/js/run-test.sh, the judge of every JavaScript test file, on files that pass, fail,
# stop early, register nothing or skip.
# usage: run-test.test.sh RTJS_SIM
set -u
sim=$1
here=$(cd "$(dirname "$0")" && pwd)
passed=0 failed=0
expect() { # FILE STATUS
  "$here/../js/run-test.sh" "$sim" --headless "$here/$1" >/dev/null 2>&1
  local status=$?
  if [ "$status" -eq "$2" ]; then
    passed=$((passed + 1)); echo "ok - $1: status $status"
  else
    failed=$((failed + 1)); echo "FAIL - $1: status $status, expected $2"
  fi
}
expect good.js 0
expect failing.js 1
expect no-tests.js 1
expect stops-early.js 1
expect skipped.js 77
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
