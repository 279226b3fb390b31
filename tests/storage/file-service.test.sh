#!/bin/bash
# The disk as a service (file-service.js): apps granted subtrees of /disk write through the
# file service app; fsck.fat -n then finds the volume clean and mtools reads what they wrote.
#   file-service.test.sh sim RTJS_SIM | file-service.test.sh qemu BUILD_DIR
where=$1
bin=$2
. "$(dirname "$0")/lib.sh"

img=$work/disk.img
host_volume "$img" SERVICE

run_with_disk "$where" "$bin" "$img" rw file-service.js
fsck_clean "$img" "two apps wrote through the file service"
for who in alice bob; do
  mcopy -n -i "$img" "::/$who/NOTE2.TXT" "$work/$who.txt"
  [ "$(cat "$work/$who.txt")" = "hello from $who" ] || { echo "FAIL: mtools reads $who's note as: $(cat "$work/$who.txt")"; exit 1; }
done
mcopy -n -i "$img" "::/alice/open0.txt" "$work/open0.txt"
[ "$(cat "$work/open0.txt")" = kept ] || { echo "FAIL: the killed holder's write is not on the disk"; exit 1; }
mdir -i "$img" ::/ | grep -qi evil && { echo "FAIL: an app wrote outside its subtree"; exit 1; }
echo "ok - mtools reads both apps' files, and nothing outside their subtrees"
