#!/usr/bin/env bash
# tests/js/run-test.sh, the judge of every JavaScript test file, on files that pass, fail,
# stop early, register nothing, never settle or skip; and what each of them says.
# usage: run-test.test.sh RUNTIME [OPTIONS]...   (rtjs-sim --headless, rtjs-runtime ...)
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../checks.sh"
out=$tmp/out
expect() { # FILE STATUS [TEXT: a line the output must contain]
  "$here/../js/run-test.sh" "${runtime[@]}" "$here/$1" >"$out" 2>&1
  local status=$?
  if [ "$status" -ne "$2" ]; then
    fail "$1: status $status, expected $2" "$out"
  elif [ $# -gt 2 ] && ! grep -qxF -- "$3" "$out"; then
    fail "$1: no line '$3' in its output" "$out"
  else
    ok "$1: status $status"
  fi
}
runtime=("$@")
expect good.js 0 '1 passed, 0 failed'
expect failing.js 1 '1 passed, 1 failed'
expect no-tests.js 1 'ended without its summary line: no test registered'
expect stops-early.js 1
expect never-settles.js 1 "ended without its summary line: 2 pending, 'never settles' never settled"
expect skipped.js 77
finish
