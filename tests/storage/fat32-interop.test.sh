#!/bin/bash
# FAT32 interoperability with Linux's tools, both ways: a volume made by mkfs.fat and
# filled by mtools (nested directories, 5,000 files in one directory, non-ASCII names,
# sizes around the sector and cluster sizes) must read back byte for byte in rtjs; what
# rtjs then creates, overwrites, truncates, renames and deletes must read back byte for
# byte with mtools, and fsck.fat -n must find no error.
#   fat32-interop.test.sh RTJS_SIM DISK_IMAGE_TOOL
sim=$1
tool=$2
. "$(dirname "$0")/lib.sh"

img=$work/disk.img
cluster=1024
truncate -s 80M "$img"
mkfs.fat -F 32 -S 512 -s $((cluster / 512)) -n RTJSTEST "$img" >/dev/null

# The host's tree.
src=$work/src
mkdir -p "$src/host/nested/one/two/three" "$src/host/big dir" "$src/host/Ärger ünd Ölß"
for size in 0 1 511 512 513 $((cluster - 1)) $cluster $((cluster + 1)) 1048576; do
  head -c "$size" /dev/urandom >"$src/host/size-$size"
done
echo deep >"$src/host/nested/one/two/three/leaf.txt"
echo 'snow' >"$src/host/Ärger ünd Ölß/schnee ☃ – 雪.txt"
echo 'a long name' >"$src/host/nested/A Mixed Case Long File Name.Text"
for i in $(seq 1 5000); do echo "file $i" >"$src/host/big dir/f$i.txt"; done
mcopy -s -i "$img" "$src/host" ::/

manifest() { # the tree under $1 as "dir /path" and "CRC SIZE /path" lines, sorted bytewise
  (cd "$1" && find . -mindepth 1 -type d | sed 's|^\.|dir |' &&
    find . -type f -print0 | xargs -0 -r cksum | sed 's| \./| /|') | LC_ALL=C sort
}
section() { sed -n "/^--- $1\$/,/^--- /p" "$work/out" | sed '1d;$d' | LC_ALL=C sort; }

"$tool" pack "$img" "$work/image.js"
if ! "$sim" --headless --budget 600000 "$here/fat32-interop.js" "$work/image.js" >"$work/out" 2>"$work/err"; then
  echo "FAIL: the app failed:"; tail -n 30 "$work/out" "$work/err"; exit 1
fi

manifest "$src" >"$work/host-read"
section read >"$work/rtjs-read"
if ! diff "$work/host-read" "$work/rtjs-read" >"$work/diff"; then
  echo "FAIL: rtjs read the mtools-made volume differently (< host, > rtjs):"; head -n 40 "$work/diff"; exit 1
fi
echo "ok - rtjs reads $(wc -l <"$work/host-read") files and directories made by mkfs.fat and mtools byte for byte"

"$tool" apply "$img" <"$work/out"
fsck_clean "$img" "rtjs's changes"

mkdir "$work/back"
mcopy -s -n -i "$img" '::/*' "$work/back/"
manifest "$work/back" >"$work/host-written"
section written >"$work/rtjs-written"
if ! diff "$work/rtjs-written" "$work/host-written" >"$work/diff"; then
  echo "FAIL: mtools reads rtjs's changes differently (< rtjs, > mtools):"; head -n 40 "$work/diff"; exit 1
fi
echo "ok - mtools reads back $(wc -l <"$work/host-written") files and directories after rtjs's changes byte for byte"
