#!/bin/bash
# Device errors injected in the simulated disk (rtjs-sim --disk IMAGE,fault=KIND@N): a failed
# write (IOERR), an unsupported request (UNSUPP), a device that stops answering, and a failed
# read; on the kernel in QEMU, a failed write and a failed read injected by QEMU's blkdebug
# block driver under virtio-blk-pci. disk-faults.js checks the errors the app sees; here
# fsck.fat -n must find at most what a crash leaves (the volume stays marked dirty after a
# write error), and every file the app synced before the fault must read back with mtools
# byte for byte.
#   disk-faults.test.sh sim RTJS_SIM | disk-faults.test.sh qemu BUILD_DIR
where=$1
bin=$2
. "$(dirname "$0")/lib.sh"

# What fsck.fat -n may report after a write error: as after a crash (crash.test.sh).
allowed='^(fsck\.fat [0-9.]+ \(|.*: [0-9]+ files, [0-9]+/[0-9]+ clusters$|Dirty bit is set|There are differences between boot sector and its backup|This is mostly harmless|  65:01/00|  Not automatically fixing this|Free cluster summary wrong|  Auto-correcting| Automatically removing dirty bit|Reclaimed [0-9]+ unused clusters|Leaving filesystem unchanged|/[^ ]*|  File size is [0-9]+ bytes, cluster chain length is > [0-9]+ bytes\.|  Truncating file to [0-9]+ bytes\.|$)'

fault() { # KIND N
  local img=$work/$1.img
  host_volume "$img" FAULTS
  "$here/pattern.py" $((4 << 20)) 7 >"$work/BIG.BIN"
  mcopy -i "$img" "$work/BIG.BIN" ::/
  if [ "$where" = sim ]; then
    "$bin" --headless --disk "$img,fault=$1@$2" --budget 600000 "$here/disk-faults.js" "$1" >"$work/out" 2>&1 || true
  else
    blkdebug_rules "$1" "$2" "$img" >"$work/$1.conf"
    "$root/scripts/qemu-run" -q -k "$bin/rtjs.elf" -r "$work/initrd.cpio" -t 600 -l "$work/serial" \
      -a "init=/bin/rtjs -- --single-threaded --cpus 1 --budget 120000 /tests/storage/disk-faults.js $1" -- \
      -drive "file=blkdebug:$work/$1.conf:$img,if=none,id=d0,format=raw,werror=report,rerror=report" \
      -device virtio-blk-pci,drive=d0,disable-legacy=on >/dev/null 2>&1 || true
    tr -d '\r' <"$work/serial" >"$work/out"
  fi
  grep -E '^(ok|FAIL)' "$work/out" || true
  grep -q '^all passed$' "$work/out" || { tail -n 20 "$work/out"; echo "FAIL: disk-faults.js $1"; exit 1; }
  if [ "$1" = read-ioerr ]; then
    fsck_clean "$img" "a read error"
    return
  fi
  fsck.fat -n "$img" >"$work/fsck" 2>&1 || true
  if grep -vE "$allowed" "$work/fsck" | grep -q .; then
    echo "FAIL: after $1, fsck.fat -n reported more than a crash leaves:"; cat "$work/fsck"; exit 1
  fi
  echo "ok - $1: fsck.fat -n finds at most what a crash leaves"
  local checked=0
  for i in $(sed -n 's/^synced list: //p' "$work/out"); do
    mcopy -n -i "$img" "::/F$i.BIN" "$work/f.bin" || { echo "FAIL: synced file F$i.BIN is missing"; exit 1; }
    "$here/pattern.py" $((70000 + i * 1000)) $((i + 1)) | cmp -s - "$work/f.bin" || { echo "FAIL: synced file F$i.BIN differs"; exit 1; }
    checked=$((checked + 1))
  done
  [ $checked -gt 0 ] || { echo "FAIL: no synced file to check after $1"; exit 1; }
  echo "ok - $1: the $checked files synced before the fault read back with mtools"
}

# blkdebug's rules for KIND N IMAGE. A write fault: a state counts the write requests
# (set-state rules, one a request) and request N alone fails. A read fault: the first read
# of a sector in the middle of BIG.BIN fails (QEMU merges reads in flight, so their count
# varies). Both fail with EIO (5), which virtio-blk answers as IOERR (werror/rerror=report:
# reported to the guest, the machine is not stopped).
blkdebug_rules() {
  local s
  if [ "$1" = read-ioerr ]; then
    printf '[inject-error]\nevent = "read_aio"\nsector = "%d"\nerrno = "5"\nonce = "on"\n' "$(big_sector "$3")"
    return
  fi
  for s in $(seq 1 "$2"); do
    printf '[set-state]\nevent = "write_aio"\nstate = "%d"\nnew_state = "%d"\n\n' "$s" $((s + 1))
  done
  printf '[inject-error]\nevent = "write_aio"\nstate = "%d"\nerrno = "5"\nonce = "on"\n' $(($2 + 1))
}

# big_sector IMAGE: a sector 1 MiB into BIG.BIN, from the BPB and the root directory (FAT
# specification 1.03, sections 3 and 6), which mtools wrote in one run of clusters.
big_sector() {
  python3 - "$1" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
bps, spc, reserved, fats = struct.unpack_from('<HBHB', d, 11)
fatsz, = struct.unpack_from('<I', d, 36)
root, = struct.unpack_from('<I', d, 44)
first = reserved + fats * fatsz
at = (first + (root - 2) * spc) * bps
for e in range(at, at + spc * bps, 32):
    if d[e:e + 11] == b'BIG     BIN':
        c = struct.unpack_from('<H', d, e + 20)[0] << 16 | struct.unpack_from('<H', d, e + 26)[0]
        print(first + (c - 2) * spc + (1 << 20) // bps)
        break
else:
    sys.exit('no BIG.BIN in the root directory')
PY
}

if [ "$where" = qemu ]; then
  root=$(cd "$here/../.." && pwd)
  "$root/scripts/mkinitrd" "$work/initrd.cpio" --program "$bin/rtjs=/bin/rtjs" \
    --add "$root/js=/js" --add "$here=/tests/storage" >/dev/null </dev/null
fi

# N counts requests from 0 (writes only for write-ioerr, reads only for read-ioerr): past the
# mount's, so that the fault hits the files the app writes (or BIG.BIN it reads).
fault write-ioerr 12
fault read-ioerr 20
if [ "$where" = sim ]; then
  fault unsupp 40
  fault hang 40
fi
