#!/bin/bash
# The virtio-blk driver and FAT32 on a disk image: a volume made by mkfs.fat and mtools,
# written by rtjs through the driver, must pass fsck.fat -n and read back with mtools; the
# same image attached read-only refuses writes and stays unchanged. On the simulated disk
# (rtjs-sim --disk) or on the kernel in QEMU (virtio-blk-pci).
#   virtio-blk.test.sh sim RTJS_SIM | virtio-blk.test.sh qemu BUILD_DIR
where=$1
bin=$2
. "$(dirname "$0")/lib.sh"

img=$work/disk.img
host_volume "$img" VIRTIO 256M
# A 100 MB file from the host: rtjs is given its cksum and must read the same.
head -c 100000000 /dev/urandom >"$work/BIG.BIN"
mcopy -i "$img" "$work/BIG.BIN" ::/
big_sum=$(cksum <"$work/BIG.BIN")

run() { # mode (rw or ro)
  run_with_disk "$where" "$bin" "$img" "$1" virtio-blk.js "$1" $big_sum
}

run rw
fsck_clean "$img" "rtjs wrote through virtio-blk"
mcopy -n -i "$img" "::/from rtjs/nested/hello.txt" "::/from rtjs/big.bin" "::/HOST.TXT" "$work/"
[ "$(cat "$work/hello.txt")" = "hello from rtjs over virtio-blk" ] || { echo "FAIL: mtools reads hello.txt as: $(cat "$work/hello.txt")"; exit 1; }
[ "$(cat "$work/HOST.TXT")" = "$(printf 'from the host\nand from rtjs')" ] || { echo "FAIL: mtools reads HOST.TXT as: $(cat "$work/HOST.TXT")"; exit 1; }
[ "$(stat -c %s "$work/big.bin")" = 3145728 ] || { echo "FAIL: big.bin has $(stat -c %s "$work/big.bin") bytes"; exit 1; }
echo "ok - mtools reads back what rtjs wrote through virtio-blk"

sum=$(cksum <"$img")
run ro
[ "$(cksum <"$img")" = "$sum" ] || { echo "FAIL: the read-only disk changed"; exit 1; }
echo "ok - a disk attached with ,ro is not changed"
