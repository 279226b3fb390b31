# Sourced by the command-line tests: runs the runtime and counts checks, ending with the
# summary line the test runner judges. The sourcing test sets rtjs (the command, an array).
. "$(dirname "${BASH_SOURCE[0]}")/../checks.sh"

# run STDIN ARGS...: runs the runtime with STDIN as its input, keeps stdout/stderr/status for
# the checks (a hang guard of 60 s).
run() {
  local stdin=$1; shift
  printf '%s' "$stdin" | timeout 60 "${rtjs[@]}" "$@" >"$tmp/out" 2>"$tmp/err"
  status=$?
  out=$(cat "$tmp/out"); err=$(cat "$tmp/err")
}

check() { # check NAME TEST...: TEST is a command; a failure shows what the last run printed
  local name=$1; shift
  if "$@"; then
    passed=$((passed + 1)); echo "ok - $name"
  else
    failed=$((failed + 1))
    echo "FAIL - $name"; echo "  status: $status"; echo "  stdout: $out" | head -5; echo "  stderr: $err" | head -8
  fi
}
has() { grep -qE -- "$2" <<<"$1"; }
