#!/usr/bin/env bash
# The initrd is complete: unpacked and entered with chroot (no host files visible), the
# runtime finds its loader and every library and runs an app. Also: every file in the
# archive has its own inode number (ld.so treats equal (dev, ino) pairs as one library).
# usage: initrd.test.sh SCRIPTS_DIR BUILD_DIR
set -u
scripts=$1 build=$2
. "$(dirname "$0")/../checks.sh"

echo 'console.log("hello from the initrd", 6 * 7); rt.exit(5);' >"$tmp/hello.js"
if "$scripts/mkinitrd" "$tmp/initrd.cpio" --program "$build/rtjs=/bin/rtjs" --add "$tmp/hello.js=/app/hello.js" >/dev/null; then
  ok "mkinitrd builds the image"
else
  fail "mkinitrd builds the image"
fi
mkdir "$tmp/root"
(cd "$tmp/root" && cpio -id --quiet <"$tmp/initrd.cpio")
inodes=$(cpio -tv <"$tmp/initrd.cpio" 2>/dev/null | wc -l)
unique=$(cd "$tmp/root" && find . -type f -printf '%i\n' | sort -u | wc -l)
files=$(cd "$tmp/root" && find . -type f | wc -l)
[ "$files" -gt 10 ] && [ "$unique" -eq "$files" ] && ok "each of the $files files has its own inode" || fail "inodes: $unique unique for $files files ($inodes entries)"
interp=$(readelf -l "$build/rtjs" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
libnode=$(ls "$tmp/root/lib/x86_64-linux-gnu"/libnode.so.[0-9]* 2>/dev/null | head -n1)
[ -n "$interp" ] && [ -x "$tmp/root$interp" ] && [ -n "$libnode" ] &&
  ok "the loader and libnode are in place" || fail "the loader or libnode is missing"
if [ "$(id -u)" -eq 0 ]; then
  out=$(chroot "$tmp/root" /bin/rtjs --single-threaded --cpus 1 /app/hello.js 2>&1)
  status=$?
  [ $status -eq 5 ] && [ "$out" = "hello from the initrd 42" ] && ok "the runtime runs an app inside the image" ||
    fail "the runtime inside the image: status $status, output: $out"
else
  echo "skip - chroot needs root"
fi
finish
