#!/bin/bash
# The acceptance's large cases on a virtio-blk disk, on rtjs-sim or on the kernel in QEMU:
# a directory of 5,000 files and a 100 MB file made by mtools read back in rtjs (large.js);
# the 100 MB copy and the 5,000 files rtjs made in one directory read back with mtools, and
# fsck.fat -n finds no error. The durations large.js measured are shown ("time:" lines).
#   large.test.sh sim RTJS_SIM | large.test.sh qemu BUILD_DIR
where=$1
bin=$2
. "$(dirname "$0")/lib.sh"
files=5000

# 4 KiB clusters: mtools copies 5,000 files in seconds there, minutes with 512-byte ones.
img=$work/disk.img
truncate -s 320M "$img"
mkfs.fat -F 32 -S 512 -s 8 -n LARGE "$img" >/dev/null
head -c 100000000 /dev/urandom >"$work/BIG.BIN"
mkdir "$work/MANY"
for i in $(seq 1 $files); do echo "file $i" >"$work/MANY/f$i.txt"; done
mcopy -i "$img" "$work/BIG.BIN" ::/
mcopy -s -i "$img" "$work/MANY" ::/

if [ "$where" = sim ]; then
  run_with_disk sim "$bin" "$img" rw large.js $files
else
  # qemu-run itself (not boot-check.sh) keeps the serial log, with large.js's durations.
  root=$(cd "$here/../.." && pwd)
  "$root/scripts/mkinitrd" "$work/initrd.cpio" --program "$bin/rtjs=/bin/rtjs" \
    --add "$root/js=/js" --add "$here=/tests/storage" >/dev/null </dev/null
  status=0
  "$root/scripts/qemu-run" -q -k "$bin/rtjs.elf" -r "$work/initrd.cpio" -t 1500 -l "$work/serial" \
    -a "init=/bin/rtjs -- --single-threaded --cpus 1 --budget 1200000 /tests/storage/large.js $files" -- \
    -drive "file=$img,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0,disable-legacy=on >/dev/null 2>&1 || status=$?
  tr -d '\r' <"$work/serial" >"$work/out"
  grep -E '^(ok|FAIL)' "$work/out" || true
  [ $status = 0 ] && grep -q '^all passed$' "$work/out" || { tail -n 30 "$work/out"; echo "FAIL: large.js on the kernel (qemu-run status $status)"; exit 1; }
fi
grep '^time:' "$work/out" || true
fsck_clean "$img" "rtjs wrote a 100 MB file and $files files in one directory"

mcopy -n -i "$img" "::/rtjs/big-copy.bin" "$work/copy.bin"
cmp -s "$work/BIG.BIN" "$work/copy.bin" || { echo "FAIL: mtools reads rtjs's copy of the 100 MB file differently"; exit 1; }
echo "ok - mtools reads rtjs's 100 MB copy byte for byte"
mkdir "$work/back" "$work/expect"
for i in $(seq 1 $files); do echo "rtjs $i" >"$work/expect/n$i.txt"; done
mcopy -s -n -i "$img" "::/rtjs/many" "$work/back/"
diff -r "$work/expect" "$work/back/many" >"$work/diff" || { echo "FAIL: mtools reads rtjs's directory of $files files differently:"; head -n 20 "$work/diff"; exit 1; }
echo "ok - mtools reads the $files files rtjs made in one directory"
