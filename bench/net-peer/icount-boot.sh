# Sourced by the *icount.sh scripts: booting the rtjs kernel under QEMU's -icount shift=0,
# where the guest's clock runs one nanosecond per instruction, so an app's busyMs is millions
# of its guest instructions whatever the host's load.
#   icount_begin            $tmp (a temporary directory, removed on exit, with QEMU stopped)
#   icount_initrd ARGS...   $tmp/initrd.cpio from scripts/mkinitrd ARGS...
#   icount_boot KERNEL APPEND [QEMU ARGS...]
#                           boots KERNEL with $tmp/initrd.cpio and the command line APPEND in
#                           the background ($qemu_pid), its console in $tmp/console
#   icount_stop             stops QEMU (the guest may have powered off already)
# The caller sets $root (the source tree) first.

icount_begin() {
  tmp=$(mktemp -d)
  qemu_pid=
  trap '[ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
}

icount_initrd() {
  "$root/scripts/mkinitrd" "$tmp/initrd.cpio" "$@" >/dev/null
}

icount_boot() {
  local kernel=$1 append=$2
  shift 2
  : >"$tmp/console"
  qemu-system-x86_64 -m 1G -smp 1 -cpu max -icount shift=0 -display none -no-reboot -monitor none \
    -serial "file:$tmp/console" -kernel "$kernel" -initrd "$tmp/initrd.cpio" "$@" -append "$append" &
  qemu_pid=$!
}

icount_stop() {
  [ -n "$qemu_pid" ] || return 0
  kill "$qemu_pid" 2>/dev/null || true
  wait "$qemu_pid" 2>/dev/null || true
  qemu_pid=
}
