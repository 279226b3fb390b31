#!/usr/bin/env bash
# ./rtjs image, both kinds: the hybrid ISO boots with SeaBIOS and with UEFI/OVMF as a CD, the
# GPT disk with SeaBIOS and with OVMF as a disk; each runs the app and powers off with its
# status. Each has a GPT data partition holding the FAT32 file system RTJSDATA. Each boot has a
# hang guard only.
# usage: image.test.sh BUILD_DIR
set -u
root=$(cd "$(dirname "$0")/../../.." && pwd)
build=$1
. "$root/tests/checks.sh"

# The byte offsets of the GPT partitions typed "Microsoft basic data" (UEFI spec, "GUID
# Partition Table": the header at LBA 1, its entries where it says).
data_offsets() {
  python3 - "$1" <<'PY'
import struct, sys, uuid
f = open(sys.argv[1], 'rb')
f.seek(512)
h = f.read(92)
assert h[:8] == b'EFI PART'
entries, n, size = struct.unpack('<Q', h[72:80])[0], *struct.unpack('<II', h[80:88])
f.seek(entries * 512)
for _ in range(n):
    e = f.read(size)
    if uuid.UUID(bytes_le=e[:16]) == uuid.UUID('ebd0a0a2-b9e5-4433-87c0-68b6b72699c7'):
        print(struct.unpack('<Q', e[32:40])[0] * 512)
PY
}

for kind in iso disk; do
  if "$root/scripts/mkimage" "$build" "$root/tests/qemu/run/hello.js" -o "$tmp/$kind.img" --kind $kind 2>"$tmp/mkimage.log"; then
    ok "mkimage --kind $kind makes an image ($(du -h "$tmp/$kind.img" | cut -f1))"
  else
    fail "mkimage --kind $kind makes an image" "$tmp/mkimage.log"
  fi
  found=
  for offset in $(data_offsets "$tmp/$kind.img"); do
    minfo -i "$tmp/$kind.img@@$offset" :: 2>/dev/null | grep -q 'disk label="RTJSDATA' &&
      minfo -i "$tmp/$kind.img@@$offset" :: 2>/dev/null | grep -q 'FAT32' && found=$offset
  done
  if [ -n "$found" ]; then
    ok "$kind: the data partition is a FAT32 file system labelled RTJSDATA (at byte $found)"
  else
    fail "$kind: a data partition holds a FAT32 file system labelled RTJSDATA"
  fi
done

boot() { # boot NAME QEMU-RUN-ARGS...: the app's line and its status 5
  local name=$1 rc=0; shift
  "$root/scripts/qemu-run" -q -l "$tmp/$name.console" -L "$tmp/$name.klog" -t 600 "$@" \
    -- -accel tcg,thread=multi || rc=$?
  if [ $rc -eq 5 ] && grep -q "hello from an app 42" "$tmp/$name.console" &&
     ! grep -q "rtjs: kernel starting" "$tmp/$name.console"; then
    ok "$name: the app's line on the console, the kernel's log apart, status 5"
  else
    fail "$name: the app's line, status 5 (got $rc)" "$tmp/$name.console"
    tr -d '\r' <"$tmp/$name.klog" | tail -n 10
  fi
}
boot iso-seabios-cd -I "$tmp/iso.img"
boot iso-ovmf-cd -U -I "$tmp/iso.img"
boot disk-seabios -D "$tmp/disk.img"
boot disk-ovmf -U -D "$tmp/disk.img"
finish
