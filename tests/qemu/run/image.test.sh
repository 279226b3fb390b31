#!/usr/bin/env bash
# ./rtjs image: one image of an app boots with SeaBIOS (as a CD) and with UEFI/OVMF (as a
# disk), runs the app and powers off with its status; GPT partition 3 is a FAT32 file system
# mtools can read. Each boot has a hang guard only.
# usage: image.test.sh BUILD_DIR
set -u
root=$(cd "$(dirname "$0")/../../.." && pwd)
build=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
ok() { echo "ok - $1"; passed=$((passed + 1)); }
fail() { echo "FAIL - $1"; [ -z "${2-}" ] || tr -d '\r' <"$2" | tail -n 15; failed=$((failed + 1)); }

if "$root/scripts/mkimage" "$build" "$root/tests/qemu/run/hello.js" -o "$tmp/hello.img" 2>"$tmp/mkimage.log"; then
  ok "mkimage makes an image ($(du -h "$tmp/hello.img" | cut -f1))"
else
  fail "mkimage makes an image" "$tmp/mkimage.log"
fi

# The data partition (xorriso's appended partition 3, GPT entry "Appended3"): formatted FAT32.
offset=$(python3 - "$tmp/hello.img" <<'PY'
import struct, sys
f = open(sys.argv[1], 'rb')
f.seek(512)  # the GPT header is LBA 1 (UEFI spec, "GUID Partition Table")
h = f.read(92)
assert h[:8] == b'EFI PART'
entries, n, size = struct.unpack('<Q', h[72:80])[0], *struct.unpack('<II', h[80:88])
f.seek(entries * 512)
for _ in range(n):
    e = f.read(size)
    if e[56:128].decode('utf-16le').rstrip('\0') == 'Appended3':
        print(struct.unpack('<Q', e[32:40])[0] * 512)
PY
) || offset=
if [ -n "$offset" ] && minfo -i "$tmp/hello.img@@$offset" :: 2>/dev/null | grep -q 'FAT32'; then
  ok "the data partition is a FAT32 file system"
else
  fail "the data partition is a FAT32 file system (offset '${offset}')"
fi

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
cp "$tmp/hello.img" "$tmp/uefi.img"
boot seabios-cd -I "$tmp/hello.img"
boot ovmf-disk -U -D "$tmp/uefi.img"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
