#!/bin/bash
# The FAT32 fuzzer (fat32-fuzz.js) over a small volume made by mkfs.fat: COUNT mutated images (default 100,000), each mounted, walked, written and
# unmounted; any failure other than a clear file-system error fails the test.
#   fat32-fuzz.test.sh RTJS_SIM DISK_IMAGE_TOOL [COUNT]
sim=$1
tool=$2
count=${3:-100000}
. "$(dirname "$0")/lib.sh"

# A small volume (8,034 clusters: mounts are cheap); the app fills it before mutating.
img=$work/disk.img
truncate -s 4M "$img"
mkfs.fat -F 32 -S 512 -s 1 -n FUZZ "$img" >/dev/null 2>&1
"$tool" pack "$img" "$work/image.js"
"$sim" --headless --budget 3600000 "$here/fat32-fuzz.js" "$work/image.js" "$count"
