#!/usr/bin/env bash
# Boots the kernel with an initrd and checks what the program printed and how it ended.
# usage: boot-check.sh BUILD_DIR NAME --initrd-args "mkinitrd args" --cmdline "..." \
#          [--input TEXT] [--status N] [--expect REGEX]... [--reject REGEX]... [--timeout S] [--smp N]
#          [--qemu "extra QEMU arguments"] [--summary]
# --summary: the program is a JavaScript test file (tests/js/harness.js); its last line before
# it exits must be "N passed, 0 failed" with N >= 1 (tests/rules.cmake).
set -u
root=$(cd "$(dirname "$0")/../../.." && pwd)
build=$1 name=$2; shift 2
initrd_args="" cmdline="" input="" status="" timeout=120 smp=1 expects=() rejects=() qemu="" summary=0
while [ $# -gt 0 ]; do
  case $1 in
    --summary) summary=1; shift; continue ;;
    --initrd-args) initrd_args=$2 ;;
    --cmdline) cmdline=$2 ;;
    --input) input=$2 ;;
    --status) status=$2 ;;
    --expect) expects+=("$2") ;;
    --reject) rejects+=("$2") ;;
    --timeout) timeout=$2 ;;
    --smp) smp=$2 ;;
    --qemu) qemu=$2 ;;
    *) echo "boot-check: unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
eval "\"$root/scripts/mkinitrd\" \"$tmp/initrd.cpio\" $initrd_args" >/dev/null || { echo "FAIL - $name: mkinitrd"; exit 1; }
if [ -n "$input" ]; then
  printf '%b' "$input" | "$root/scripts/qemu-run" -i -q -k "$build/rtjs.elf" -r "$tmp/initrd.cpio" \
    -a "$cmdline" -t "$timeout" -s "$smp" -- $qemu >"$tmp/log" 2>&1
else
  "$root/scripts/qemu-run" -q -k "$build/rtjs.elf" -r "$tmp/initrd.cpio" -a "$cmdline" -t "$timeout" \
    -s "$smp" -l "$tmp/log" -- $qemu >/dev/null 2>&1
fi
tr -d '\r' <"$tmp/log" >"$tmp/out"
failed=0
if [ -n "$status" ] && ! grep -q "rtjs: power-off status=$status\$" "$tmp/out"; then
  echo "FAIL - $name: expected the system to power off with status $status"; failed=1
fi
for re in ${expects[@]+"${expects[@]}"}; do
  grep -Eq -- "$re" "$tmp/out" || { echo "FAIL - $name: no line matches /$re/"; failed=1; }
done
if [ $summary -eq 1 ]; then
  # The kernel reports the init program's exit (linux/process.c): the line before is its last.
  last=$(grep -B1 -m1 '^linux: .* exited with status' "$tmp/out" | head -n 1)
  if ! [[ $last =~ ^[1-9][0-9]*\ passed,\ 0\ failed$ ]]; then
    echo "FAIL - $name: the program's output does not end with 'N passed, 0 failed' (N >= 1): '$last'"
    failed=1
  fi
fi
for re in ${rejects[@]+"${rejects[@]}"}; do
  ! grep -Eq -- "$re" "$tmp/out" || { echo "FAIL - $name: a line matches /$re/"; failed=1; }
done
if [ $failed -ne 0 ]; then
  echo "--- serial log (last 40 lines) ---"; tail -n 40 "$tmp/out"; exit 1
fi
echo "ok - $name"
