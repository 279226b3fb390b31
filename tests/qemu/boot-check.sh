#!/usr/bin/env bash
# Boots the rtjs kernel once through scripts/qemu-run and checks the serial log and how the
# machine ended: the one QEMU boot checker of the kernel, ring-0, Linux-layer, npm and storage
# tests.
# usage: boot-check.sh BUILD_DIR NAME [options] [-- qemu-run arguments [-- QEMU arguments]]
# What boots (BUILD_DIR/rtjs.elf with -kernel unless the qemu-run arguments say otherwise,
# e.g. -I an ISO; they come last, so they override the options below):
#   --initrd-args "ARGS"  an initrd made by `scripts/mkinitrd FILE ARGS`
#   --cmdline "ARGS"      the kernel command line
#   --smp N               CPUs (default 1)
#   --timeout SEC         a hang guard (default 120)
#   --qemu "ARGS"         extra QEMU arguments (split at white space)
#   --input TEXT          typed on the console (printf %b escapes); its end is the end of input
# What must hold (all of it; the log with carriage returns removed):
#   --exit N              scripts/qemu-run's exit status (0: powered off with 0, 3: a panic or
#                         fatal exception, 124: the hang guard fired); not checked without it
#   --status N            the kernel's line "rtjs: power-off status=N"
#   --contains TEXT       the log holds the fixed TEXT    --lacks TEXT   it does not
#   --expect REGEX        a line matches (extended)       --reject REGEX no line does
#   --summary             the program is a JavaScript test file (tests/js/harness.js): the last
#                         line it printed is "N passed, 0 failed" with N >= 1 (tests/rules.cmake)
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$1 name=$2; shift 2
initrd_args="" cmdline="" input="" timeout=120 smp=1 qemu="" summary=0
exit_want="" status="" contains=() lacks=() expects=() rejects=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
  case $1 in
    --summary) summary=1; shift; continue ;;
    --initrd-args) initrd_args=$2 ;;
    --cmdline) cmdline=$2 ;;
    --smp) smp=$2 ;;
    --timeout) timeout=$2 ;;
    --qemu) qemu=$2 ;;
    --input) input=$2 ;;
    --exit) exit_want=$2 ;;
    --status) status=$2 ;;
    --contains) contains+=("$2") ;;
    --lacks) lacks+=("$2") ;;
    --expect) expects+=("$2") ;;
    --reject) rejects+=("$2") ;;
    *) echo "boot-check: unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
[ "${1-}" = -- ] && shift
# The rest: qemu-run's own arguments, then (after a second --) QEMU's.
run_args=() extra=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do run_args+=("$1"); shift; done
[ "${1-}" = -- ] && shift
extra=("$@" $qemu)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
boot=(-q -k "$build/rtjs.elf" -t "$timeout" -s "$smp")
if [ -n "$initrd_args" ]; then
  eval "\"$root/scripts/mkinitrd\" \"$tmp/initrd.cpio\" $initrd_args" >/dev/null ||
    { echo "FAIL - $name: mkinitrd $initrd_args"; exit 1; }
  boot+=(-r "$tmp/initrd.cpio")
fi
[ -n "$cmdline" ] && boot+=(-a "$cmdline")
boot+=(${run_args[@]+"${run_args[@]}"} -- ${extra[@]+"${extra[@]}"})
code=0
if [ -n "$input" ]; then # the console on stdio, fed from the pipe
  printf '%b' "$input" | "$root/scripts/qemu-run" -i "${boot[@]}" >"$tmp/log" 2>&1 || code=$?
else
  "$root/scripts/qemu-run" -l "$tmp/log" "${boot[@]}" >/dev/null 2>&1 || code=$?
fi
tr -d '\r' <"$tmp/log" >"$tmp/out"

failed=0
fail() { echo "FAIL - $name: $*"; failed=1; }
if [ -n "$exit_want" ] && [ "$code" != "$exit_want" ]; then
  fail "scripts/qemu-run ended with status $code, expected $exit_want"
fi
if [ -n "$status" ] && ! grep -q "rtjs: power-off status=$status\$" "$tmp/out"; then
  fail "expected the system to power off with status $status"
fi
for s in ${contains[@]+"${contains[@]}"}; do grep -qF -- "$s" "$tmp/out" || fail "the log lacks '$s'"; done
for s in ${lacks[@]+"${lacks[@]}"}; do ! grep -qF -- "$s" "$tmp/out" || fail "the log has '$s'"; done
for re in ${expects[@]+"${expects[@]}"}; do grep -Eq -- "$re" "$tmp/out" || fail "no line matches /$re/"; done
for re in ${rejects[@]+"${rejects[@]}"}; do ! grep -Eq -- "$re" "$tmp/out" || fail "a line matches /$re/"; done
if [ $summary -eq 1 ]; then
  # The kernel reports the init program's exit (linux/process.c): the line before is its last.
  last=$(grep -B1 -m1 '^linux: .* exited with status' "$tmp/out" | head -n 1)
  [[ $last =~ ^[1-9][0-9]*\ passed,\ 0\ failed$ ]] ||
    fail "the program ended without its summary line 'N passed, 0 failed' (N >= 1); last line: '$last'"
fi
if [ $failed -ne 0 ]; then
  echo "--- serial log (last 60 lines) ---"; tail -n 60 "$tmp/out"; exit 1
fi
echo "ok - $name"
