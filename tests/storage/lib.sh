# What the storage test scripts share (sourced): a work directory removed on exit (kept
# with KEEP=1), the host's FAT tools on PATH, and fsck.fat -n as the judge of a volume.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
export LC_ALL=C.UTF-8 TZ=UTC MTOOLS_SKIP_CHECK=1
PATH=$PATH:/usr/sbin:/sbin

# fsck_clean IMAGE WHAT: fsck.fat -n must exit 0 and say nothing but its banner and the
# summary line (a volume under 65,525 clusters also draws a warning on stderr, ignored).
fsck_clean() {
  if ! fsck.fat -n "$1" >"$work/fsck" 2>/dev/null ||
     grep -vE '^(fsck\.fat [0-9.]+ \(|.*: [0-9]+ files, [0-9]+/[0-9]+ clusters$)' "$work/fsck" | grep -q .; then
    echo "FAIL: fsck.fat -n after $2:"; cat "$work/fsck"; exit 1
  fi
  echo "ok - fsck.fat -n finds no error after $2: $(tail -n 1 "$work/fsck" | sed 's/^[^:]*: //')"
}

# What fsck.fat -n may say after a crash: its banner and summary, the dirty flag (and the
# boot sector's copy of it differing from the backup), lost clusters, the free count, and a
# file being written whose chain runs past its size (a cluster was allocated in the FAT
# before the directory entry's new size was written: the same lost space, at a file's end;
# the other order would lose data), and the two FAT copies differing while both are intact
# (a kill between writing a FAT sector and its copy: fsck.fat checks the tree against the
# first, so any damage there is still reported). A path line names the file of the line after it.
export CRASH_ALLOWED='^(fsck\.fat [0-9.]+ \(|.*: [0-9]+ files, [0-9]+/[0-9]+ clusters$|Dirty bit is set|There are differences between boot sector and its backup|This is mostly harmless|  65:01/00|  Not automatically fixing this|Free cluster summary wrong|  Auto-correcting| Automatically removing dirty bit|FATs differ but appear to be intact\.|  Using first FAT\.|Reclaimed [0-9]+ unused clusters?|Leaving filesystem unchanged|/[^ ]*|  File size is [0-9]+ bytes, cluster chain length is > [0-9]+ bytes\.|  Truncating file to [0-9]+ bytes\.|$)'

# host_volume IMAGE LABEL [SIZE]: a FAT32 volume (64M unless SIZE) made by mkfs.fat, with
# /HOST.TXT ("from the host\n") put there by mtools.
host_volume() {
  truncate -s "${3:-64M}" "$1"
  mkfs.fat -F 32 -S 512 -s 1 -n "$2" "$1" >/dev/null
  printf 'from the host\n' >"$work/HOST.TXT"
  mcopy -i "$1" "$work/HOST.TXT" ::/
}

# run_with_disk sim|qemu RTJS_SIM|BUILD_DIR IMAGE rw|ro APP [ARGS...]: runs tests/storage/APP
# with IMAGE as its virtio-blk disk, in rtjs-sim or on the kernel in QEMU; the app's
# "ok"/"FAIL" lines are shown, and it must end with status 0 after printing "all passed".
run_with_disk() {
  local where=$1 bin=$2 image=$3 mode=$4 app=$5 ok=1
  shift 5
  local root
  root=$(cd "$here/../.." && pwd)
  if [ "$where" = sim ]; then
    local suffix=""
    [ "$mode" = ro ] && suffix=",ro"
    "$bin" --headless --disk "$image$suffix" --budget 600000 "$here/$app" "$@" >"$work/out" 2>&1 || ok=0
    grep -q '^all passed$' "$work/out" || ok=0
  else
    local ro=""
    [ "$mode" = ro ] && ro=",readonly=on"
    "$root/tests/qemu/boot-check.sh" "$bin" "${app%.js}-$mode" \
      --initrd-args "--add $root/js=/js --add $here=/tests/storage" --timeout 600 \
      --qemu "-drive file=$image,if=none,id=d0,format=raw$ro -device virtio-blk-pci,drive=d0,disable-legacy=on" \
      --cmdline "init=/bin/rtjs -- --single-threaded --cpus 1 --budget 120000 /tests/storage/$app $*" \
      --status 0 --expect '^all passed$' >"$work/out" 2>&1 || ok=0
  fi
  grep -E '^(ok|FAIL|disk:)' "$work/out" || true
  [ $ok = 1 ] || { tail -n 30 "$work/out"; echo "FAIL: $app $* ($where, $mode)"; exit 1; }
}
