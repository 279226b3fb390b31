#!/bin/bash
# Crash safety: QEMU is killed (SIGKILL, no power-off) while an app writes to /disk
# (crash-writer.js). fsck.fat -n may then find lost clusters, a stale free count and the dirty
# flag, nothing else (no cross-linked chains, no broken directory); every file the app had
# fsync'ed and announced reads back byte for byte with mtools. Two kills, at different points.
#   crash.test.sh BUILD_DIR
build=$1
. "$(dirname "$0")/lib.sh"
root=$(cd "$here/../.." && pwd)

img=$work/disk.img
host_volume "$img" CRASH
# Garbage in the free clusters: a directory cluster that reached its directory before its
# zeroes would show it to fsck.fat.
head -c 40M /dev/urandom >"$work/garbage"
mcopy -i "$img" "$work/garbage" ::/GARBAGE && mdel -i "$img" ::/GARBAGE
"$root/scripts/mkinitrd" "$work/initrd.cpio" --program "$build/rtjs=/bin/rtjs" \
  --add "$root/js=/js" --add "$here=/tests/storage" >/dev/null </dev/null

crash_after() { # kill QEMU once the app has announced $1 synced files
  local log=$work/serial.log want=$1 t=0
  : >"$log"
  qemu-system-x86_64 -cpu max -m 1G -smp 1 -display none -no-reboot -monitor none \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 -serial "file:$log" \
    -kernel "$build/rtjs.elf" -initrd "$work/initrd.cpio" \
    -append "init=/bin/rtjs -- --single-threaded --cpus 1 --budget 300000 /tests/storage/crash-writer.js" \
    -drive "file=$img,if=none,id=d0,format=raw,cache=writeback" -device virtio-blk-pci,drive=d0,disable-legacy=on &
  local pid=$!
  until grep -q "^synced $want " "$log"; do
    sleep 0.2; t=$((t + 1))
    if ! kill -0 $pid 2>/dev/null || [ $t -gt 3000 ]; then
      kill -9 $pid 2>/dev/null || true; tail -n 20 "$log"; echo "FAIL: the writer never announced file $want"; exit 1
    fi
  done
  kill -9 $pid
  wait $pid 2>/dev/null || true
  tr -d '\r' <"$log" >"$work/run.log"
  cat "$work/run.log" >>"$work/announced"
  fsck.fat -n "$img" >"$work/fsck" 2>&1 || true
  if grep -vE "$CRASH_ALLOWED" "$work/fsck" | grep -q .; then
    echo "FAIL: after a kill past file $want, fsck.fat -n reported more than lost clusters:"; cat "$work/fsck"; exit 1
  fi
  echo "ok - killed after file $want: fsck.fat -n finds at most lost clusters ($(grep -cE 'Reclaimed' "$work/fsck") reclaim lines)"
  # Every announced file that was not announced deleted reads back byte for byte.
  local checked=0
  while read -r _ n crc size; do
    grep -q "^deleting $n\$" "$work/announced" && continue
    # A renamed file is under its new name; one being renamed when the kill came under
    # either, or under neither (its old entry was already gone: lost clusters, never two
    # entries on one chain).
    local name=f$n.bin
    if grep -q "^renamed $n\$" "$work/run.log"; then
      name=r$n.bin
    elif grep -q "^renaming $n\$" "$work/run.log"; then
      if mcopy -n -i "$img" "::/crash/r$n.bin" "$work/f.bin" 2>/dev/null; then name=r$n.bin
      elif ! mcopy -n -i "$img" "::/crash/f$n.bin" "$work/f.bin" 2>/dev/null; then continue; fi
    fi
    mcopy -n -i "$img" "::/crash/$name" "$work/f.bin" 2>/dev/null || { echo "FAIL: fsync'ed file $name is missing"; exit 1; }
    [ "$(cksum <"$work/f.bin")" = "$crc $size" ] || { echo "FAIL: fsync'ed file $name differs"; exit 1; }
    checked=$((checked + 1))
  done < <(grep -E '^synced [0-9]+ [0-9]+ [0-9]+$' "$work/run.log")
  [ $checked -gt 0 ] || { echo "FAIL: no fsync'ed file was checked"; exit 1; }
  echo "ok - all $checked fsync'ed files of that run read back byte for byte"
}

crash_after 6
crash_after 14
