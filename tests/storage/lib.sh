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
