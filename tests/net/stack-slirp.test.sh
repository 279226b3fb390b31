#!/usr/bin/env bash
# The JavaScript network stack against user-mode networking (libslirp): on rtjs-sim
# (--net user) or on the kernel in QEMU (-netdev user). A Python HTTP server on the host's
# loopback is the app's peer (10.0.2.2 to the guest), and curl on the host fetches the app's
# page through a host forward.
# usage: stack-slirp.test.sh sim|kernel BUILD_DIR [SCRIPT]
#   SCRIPT: net/stack-slirp.js (the stack in the test app) or net/service-slirp.js (the stack as
#   the network service app, used by another app through node:net)
set -u
target=$1 build=$2 script=${3:-net/stack-slirp.js}
name=$(basename "$script" .js)
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL - net/$name-$target: $*"; echo "--- guest output:"; tr -d '\r' <"$tmp/out" 2>/dev/null | tail -n 40; exit 1; }
. "$root/tests/net/guest.sh"

mkdir "$tmp/www"
token="host page $RANDOM$RANDOM"
echo "$token" >"$tmp/www/hello.txt"
python3 -m http.server --bind 127.0.0.1 --directory "$tmp/www" 0 >"$tmp/http.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  port=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$tmp/http.log" | head -n 1)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "${port:-}" ] || fail "the host HTTP server did not start"
# dnsmasq (Debian's) on a loopback port, the guest's DNS server as 10.0.2.2: one name in
# rtjs.test, and every other name there answered NXDOMAIN (--local: never asked upstream).
dns_port=0
if command -v dnsmasq >/dev/null; then
  dns_port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts --bind-interfaces \
    --listen-address=127.0.0.1 --port="$dns_port" --pid-file= --user=root --log-facility=- \
    --local=/rtjs.test/ --host-record=www.rtjs.test,10.9.8.7 >"$tmp/dnsmasq.log" 2>&1 &
  pids+=($!)
else
  echo "note: no dnsmasq (scripts/setup installs dnsmasq-base): DNS not checked"
fi
# A peer that answers each connection's first bytes, ends its side (FIN) and resets it at once
# (SO_LINGER 0). Linux gives a socket that gets a reset after the peer's FIN the error EPIPE
# (tcp_reset in CLOSE_WAIT), so slirp, reading the answer and told of the error in the same
# poll, writes to the socket and gets EPIPE, with SIGPIPE for the writing thread: the
# simulator must live on (a host peer closing with unread data does the same, as Python's
# http.server does to a TLS ClientHello).
python3 -u -c '
import socket, struct
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
print(s.getsockname()[1])
while True:
    c, _ = s.accept()
    c.recv(1)
    c.sendall(b"no\n")
    c.shutdown(socket.SHUT_WR)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()
' >"$tmp/reset.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  reset_port=$(head -n 1 "$tmp/reset.log")
  [ -n "$reset_port" ] && break
  sleep 0.1
done
[ -n "${reset_port:-}" ] || fail "the resetting peer did not start"
# A free host port for the forward to the guest's port 80.
fwd=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

: >"$tmp/out"
if [ "$target" = sim ]; then
  (cd "$root/tests/js" && exec "$build/rtjs-sim" --headless --net "user,hostfwd=tcp:127.0.0.1:$fwd-:80" "$script" "$port" "" "$dns_port" "$reset_port") >"$tmp/out" 2>&1 &
  pids+=($!)
else
  "$root/scripts/mkinitrd" "$tmp/initrd.cpio" --add "$root/js=/js" --add "$root/tests/js=/tests/js" >/dev/null || fail "mkinitrd"
  "$root/scripts/qemu-run" -q -k "$build/rtjs.elf" -r "$tmp/initrd.cpio" -t 280 -s 1 -l "$tmp/out" \
    -a "init=/bin/rtjs -- --single-threaded --cpus 1 --budget 60000 /tests/js/$script $port 20000 $dns_port $reset_port" \
    -- -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$fwd-:80" -device virtio-net-pci,netdev=n0,disable-legacy=on >/dev/null 2>&1 &
  pids+=($!)
fi
guest=${pids[-1]}

guest_listening "listening on 80" 2400
page=$(curl -s --max-time 120 "http://127.0.0.1:$fwd/" ) || fail "curl could not fetch the guest's page"
# The guest ends by itself, with status 0: the sim's exit status, the kernel's power-off line.
guest_ended 1200
check '^dhcp: 10\.0\.2\.15/24 router 10\.0\.2\.2 dns 10\.0\.2\.3$'
check '^ping 10\.0\.2\.2: 56 bytes$'
check "^fetched: HTTP/1\\.0 200 OK \\| $token\$"
check '^served: GET / HTTP/1\.1$'
if [ "$dns_port" != 0 ] && [ "$name" = stack-slirp ]; then
  check '^dns: www\.rtjs\.test is 10\.9\.8\.7$'
  check '^dns: missing\.rtjs\.test: ENOTFOUND missing\.rtjs\.test$'
fi
if [ "$name" = stack-slirp ]; then
  check '^reset: 20 connections ended \(((ECONNRESET|ended) [0-9]+(, )?)+\)$'
fi
[ "$page" = "hello from rtjs at 10.0.2.15" ] || fail "curl got '$page'"
echo "$out" | grep -E '^(dhcp|ping|dns|reset|fetched|served)\b'
echo "curl: $page"
echo "1 passed, 0 failed"
