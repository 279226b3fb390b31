#!/usr/bin/env bash
# Logins on two virtual consoles of the kernel, typed with QEMU's sendkey: alice on tty1,
# Alt+F2, a refused password and then bob on tty2, Alt+F1 back to alice's screen as it was
# (VGA text memory read back with the monitor's pmemsave), and alice's logout ending her
# session only.
# usage: sessions-sendkey.test.sh BUILD_DIR
set -u
root=$(cd "$(dirname "$0")/../../.." && pwd)
build=$1
. "$root/tests/qemu/ring0/monitor.sh"
"$root/scripts/mkinitrd" "$tmp/initrd.cpio" --add "$root/tests/js/fixtures/sessions/users.json=/app/users.json" </dev/null >/dev/null
qemu_boot "$tmp/initrd.cpio" \
  "init=/bin/rtjs -- --cpus 2 --budget 60000 rtjs:apps/login.js /app/users.json --no-serial --consoles 2 --backoff 500"
fail() {
  echo "FAIL - $1"; echo "the screen:"; vga_screen | grep -v '^ *$'
  echo "the serial log:"; tr -d '\r' <"$tmp/serial.log" | tail -15
  echo "0 passed, 1 failed"; exit 1
}
# One hang guard for the whole test, inside ctest's 300 s, so that a stuck step fails with the
# screen and the log instead of being cut off silently (each screen read is a monitor round trip,
# slow on a loaded host, so counting tries is no guard).
deadline=270 # seconds since the script started (bash's SECONDS)
wait_screen() { # wait_screen REGEX WHAT: until a row of the screen matches
  while [ $SECONDS -lt $deadline ]; do vga_screen | grep -qE "$1" && return 0; sleep 0.5; done
  fail "$2 (gave up after $SECONDS s)"
}
wait_log() {
  while [ $SECONDS -lt $deadline ]; do serial_has "$1" && return 0; sleep 0.5; done
  fail "$2 (gave up after $SECONDS s)"
}

wait_log "^login: 2 consoles, 2 users from /app/users.json" "the login app did not start"
wait_screen '^rtjs login:$' "no login prompt on tty1"
type_text $'alice\nsecret\n'
wait_screen '^alice@rtjs# $|^alice@rtjs#$' "alice's prompt on tty1"
type_text $'6*7\n'
wait_screen '^42$' "6*7 gave no 42 on tty1"
first=$(vga_screen)
monitor "sendkey alt-f2"
wait_screen '^rtjs tty2$' "Alt+F2 did not show tty2"
vga_screen | grep -q '^42$' && fail "tty2 shows tty1's 42"
type_text $'bob\nwrong\n'
wait_screen '^Login incorrect' "a wrong password was not refused"
wait_log 'failed login as "bob" on tty2' "the refusal was not logged"
wait_screen '^rtjs login:$' "no login prompt after the delay" # --backoff 500: 0.5 s
type_text $'bob\nhunter2\n'
wait_screen '^bob@rtjs\$' "bob's prompt on tty2"
monitor "sendkey alt-f1"
while [ $SECONDS -lt $deadline ]; do [ "$(vga_screen)" = "$first" ] && break; sleep 0.5; done
[ "$(vga_screen)" = "$first" ] || fail "Alt+F1 did not bring tty1 back as it was"
monitor "sendkey ctrl-d"
wait_log "alice logged out of tty1" "alice's Ctrl-D did not end her session"
tr -d '\r' <"$tmp/serial.log" | grep -q "bob logged out" && fail "bob's session ended with alice's"
wait_screen '^rtjs login:$' "no login prompt on tty1 after the logout"
echo "ok - logins on tty1 and tty2 with sendkey; Alt+F1 shows tty1 as it was; a wrong password refused; a logout ends that session only"
echo "1 passed, 0 failed"
