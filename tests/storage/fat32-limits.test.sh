#!/bin/bash
# ENOSPC, EROFS and the dirty flag (fat32-limits.js) on a volume made by mkfs.fat; then
# fsck.fat -n must find the volume rtjs filled, freed and unmounted consistent.
#   fat32-limits.test.sh RTJS_SIM DISK_IMAGE_TOOL
sim=$1
tool=$2
. "$(dirname "$0")/lib.sh"

img=$work/disk.img
truncate -s 4M "$img"
mkfs.fat -F 32 -S 512 -s 1 -n LIMITS "$img" >/dev/null 2>&1
"$tool" pack "$img" "$work/image.js"
status=0
"$sim" --headless --budget 600000 "$here/fat32-limits.js" "$work/image.js" >"$work/out" 2>"$work/err" || status=$?
grep -E '^(ok|FAIL) - ' "$work/out" || true
if [ "$status" != 0 ]; then echo "FAIL: the app ended with status $status"; tail -n 20 "$work/err"; exit 1; fi
"$tool" apply "$img" <"$work/out" 2>/dev/null
fsck_clean "$img" "filling, freeing and unmounting"
