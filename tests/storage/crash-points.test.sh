#!/bin/bash
# Crash safety at every crash point, not only where a kill happens to land: crash-points.js
# makes directory changes on a volume made by mkfs.fat and prints each device write;
# crash-points.py replays them one at a time, torn at every 4 KiB page, with fsck.fat -n
# after each piece. Two volumes: 512-byte clusters (a sector per cluster, so entries placed
# at the directory's end meet a cluster boundary every 16 slots) and 4 KiB clusters (sector
# boundaries inside a cluster; there also names of 196-255 characters, 17-21 entries).
# At the end the unmounted volume must be clean.
#   crash-points.test.sh RTJS_SIM DISK_IMAGE_TOOL
sim=$1
tool=$2
. "$(dirname "$0")/lib.sh"

for spc in 1 8; do
  img=$work/disk-$spc.img
  # 65,525 clusters and more: fewer make the volume FAT16 to mtools (the spec's rule)
  truncate -s $((34 * spc))M "$img"
  mkfs.fat -F 32 -S 512 -s $spc -n POINTS "$img" >/dev/null 2>&1
  cp "$img" "$work/start.img"
  "$tool" pack "$img" "$work/image.js"
  args=()
  [ $spc = 8 ] && args=(--longest)
  status=0
  "$sim" --headless --budget 600000 "$here/crash-points.js" "$work/image.js" "${args[@]}" >"$work/out" 2>"$work/err" || status=$?
  if [ "$status" != 0 ] || ! grep -q '^done$' "$work/out"; then
    echo "FAIL: the app ended with status $status"; tail -n 20 "$work/err"; exit 1
  fi
  python3 "$here/crash-points.py" "$work/start.img" <"$work/out" || exit 1
  "$tool" apply "$img" <"$work/out" 2>/dev/null
  cmp -s "$work/start.img" "$img" ||
    { echo "FAIL: replaying the writes did not give the app's final volume"; exit 1; }
  fsck_clean "$work/start.img" "the run on $((spc * 512))-byte clusters, unmounted"
  rm -rf "$work/back" && mkdir "$work/back"
  mcopy -s -n -i "$img" '::/*' "$work/back/"
  diff <(cd "$work/back" && find . -mindepth 1 | sed 's/^\.//' | sort) <(sed -n 's/^PATH //p' "$work/out" | sort) >"$work/diff" ||
    { echo "FAIL: mtools lists other paths than rtjs:"; cat "$work/diff"; exit 1; }
  echo "ok - mtools lists the $(grep -c '^PATH ' "$work/out") paths rtjs lists"
done
echo "all passed"
