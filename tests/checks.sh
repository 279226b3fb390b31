# Sourced by the test scripts that count their own checks: a work directory $tmp removed on
# exit, ok/fail to count, and finish, the summary line the test runner judges.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

ok() { passed=$((passed + 1)); echo "ok - $1"; }

# fail WHAT [LOG]: counts a failed check; the last 15 lines of LOG, if given, say why.
fail() {
  failed=$((failed + 1)); echo "FAIL - $1"
  [ -z "${2-}" ] || tr -d '\r' <"$2" | tail -n 15
}

# finish: the summary line; the status says whether every check passed.
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
