#!/bin/bash
# Persistence through /disk: an app writes with node:fs and ends by itself (no sync, no
# unmount: /disk writes back on its own); fsck.fat -n then finds the volume clean and mtools
# reads the files; a second boot reads them back. In rtjs-sim or on the kernel in QEMU.
#   disk-persist.test.sh sim RTJS_SIM | disk-persist.test.sh qemu BUILD_DIR
where=$1
bin=$2
. "$(dirname "$0")/lib.sh"

img=$work/disk.img
host_volume "$img" PERSIST

run_with_disk "$where" "$bin" "$img" rw disk-persist.js write
fsck_clean "$img" "an app wrote to /disk and ended"
mcopy -n -i "$img" "::/kept/note.txt" "$work/"
[ "$(cat "$work/note.txt")" = "$(printf 'written through node:fs onto /disk\nand appended')" ] ||
  { echo "FAIL: mtools reads note.txt as: $(cat "$work/note.txt")"; exit 1; }
echo "ok - mtools reads what the app wrote"
run_with_disk "$where" "$bin" "$img" rw disk-persist.js read
