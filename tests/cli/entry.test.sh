#!/usr/bin/env bash
# The README's set-up commands through ./rtjs itself, as a new user types them: `./rtjs` alone
# (the REPL on a terminal; piped input is run as a program, as with node) and `./rtjs --help`. The script prepares build/ under the
# checkout, so this runs only when the tests were built there (exit 77: skipped otherwise).
# usage: entry.test.sh BUILD_DIR
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$1" && pwd)
if [ "$build" != "$root/build" ]; then
  echo "skipped: ./rtjs builds $root/build, these tests were built in $build"
  exit 77
fi
fail=0
check() { # NAME COMMAND...: passes when COMMAND succeeds
  local name=$1; shift
  if "$@"; then echo "ok - $name"; else echo "not ok - $name"; fail=1; fi
}

out=$(cd /tmp && echo 'console.log(6 * 7)' | timeout 300 "$root/rtjs" 2>/tmp/rtjs-entry.$$.err); status=$?
check "./rtjs with no argument runs piped input (status $status)" \
  eval '[ $status -eq 0 ] && printf "%s\n" "$out" | grep -qx "42"'
[ $fail -eq 0 ] || { echo "--- output"; printf '%s\n' "$out"; echo "--- stderr"; cat /tmp/rtjs-entry.$$.err; }
rm -f /tmp/rtjs-entry.$$.err

out=$(timeout 300 "$root/rtjs" --help 2>&1); status=$?
check "./rtjs --help lists the commands and exits 0 (status $status)" \
  eval '[ $status -eq 0 ] && printf "%s\n" "$out" | grep -q "^usage: ./rtjs" && printf "%s\n" "$out" | grep -q "./rtjs test"'
exit $fail
