#!/bin/bash
# ENOSPC, EROFS and the dirty flag (fat32-limits.js) on a volume made by mkfs.fat; then
# fsck.fat -n must find the volume rtjs filled, freed and unmounted consistent.
#   fat32-limits.test.sh RTJS_SIM DISK_IMAGE_TOOL
set -eu
sim=$1
tool=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
PATH=$PATH:/usr/sbin:/sbin

img=$work/disk.img
truncate -s 4M "$img"
mkfs.fat -F 32 -S 512 -s 1 -n LIMITS "$img" >/dev/null 2>&1
"$tool" pack "$img" "$work/image.js"
status=0
"$sim" --headless --budget 600000 "$here/fat32-limits.js" "$work/image.js" >"$work/out" 2>"$work/err" || status=$?
grep -E '^(ok|FAIL) - ' "$work/out" || true
if [ "$status" != 0 ]; then echo "FAIL: the app ended with status $status"; tail -n 20 "$work/err"; exit 1; fi
"$tool" apply "$img" <"$work/out" 2>/dev/null
# A volume this small draws fsck.fat's warning about FAT32 below 65,525 clusters (on
# stderr); anything else it says, or a non-zero status, is an error.
if ! fsck.fat -n "$img" >"$work/fsck" 2>/dev/null; then echo "FAIL: fsck.fat -n:"; cat "$work/fsck"; exit 1; fi
if grep -vE '^(fsck\.fat [0-9.]+ \(|.*: [0-9]+ files, [0-9]+/[0-9]+ clusters$)' "$work/fsck" | grep -q .; then
  echo "FAIL: fsck.fat -n reported:"; cat "$work/fsck"; exit 1
fi
echo "ok - fsck.fat -n finds the filled, freed and unmounted volume consistent: $(tail -n 1 "$work/fsck")"
