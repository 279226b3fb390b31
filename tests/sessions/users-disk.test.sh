#!/bin/bash
# Users on a FAT32 /disk across restarts: created from the image's users file, changed by
# useradd and passwd, read back after a restart; a damaged users file gives a clear error,
# the image's administrator still logs in, and the damaged file is kept (users-disk.js).
#   users-disk.test.sh sim RTJS_SIM | users-disk.test.sh qemu BUILD_DIR
where=$1
bin=$2
. "$(dirname "$0")/../storage/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)

img=$work/disk.img
host_volume "$img" USERS

run_with_disk "$where" "$bin" "$img" rw users-disk.js create
fsck_clean "$img" "useradd and passwd wrote /disk/etc/users.json"
mtype -i "$img" ::/etc/users.json >"$work/users.json"
grep -q '"name": "dave"' "$work/users.json" || { echo "FAIL: mtools does not find dave in users.json:"; cat "$work/users.json"; exit 1; }
echo "ok - mtools reads the users file the system wrote"
run_with_disk "$where" "$bin" "$img" rw users-disk.js reboot

printf '{"users": [ {"name": "mallory", "role": "admin", "uid": 0, "password": "scr' >"$work/bad.json"
mcopy -o -i "$img" "$work/bad.json" ::/etc/users.json
run_with_disk "$where" "$bin" "$img" rw users-disk.js damaged
fsck_clean "$img" "recovering from a damaged users file"
mtype -i "$img" ::/etc/users.json.bad >"$work/kept.json"
cmp -s "$work/bad.json" "$work/kept.json" || { echo "FAIL: users.json.bad is not the damaged file"; exit 1; }
echo "ok - the damaged file is kept byte for byte as users.json.bad"

mcopy -o -i "$img" "$work/bad.json" ::/etc/users.json
run_with_disk "$where" "$bin" "$img" rw users-disk.js noseed
echo "all passed"
