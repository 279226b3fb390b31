#!/usr/bin/env bash
# Guest instructions per burst of traffic for the rtjs guest of bench/http and bench/tcp:
# boots it under QEMU's -icount shift=0 (the guest's clock runs one nanosecond per
# instruction, so an app's busyMs is millions of its instructions, little blurred by the
# host's load) with counting-init.mjs, warms it up (2 MiB each way and 3 s of wrk), then
# moves MB MiB each way twice and runs wrk at 1 and 10 connections. counting-init prints one
# "burst" line per transfer: frames, segments, interrupts, and netMs/serverMs, the network
# service's and the server app's instructions in millions. The bursts after "measured" are
# the steady cost; the warm-up's show what V8's compilation adds.
# usage: bench/net-peer/icount.sh [BUILD_DIR]   (MB=8 SECONDS_EACH=8)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
mb=${MB:-8} secs=${SECONDS_EACH:-8}
. "$root/bench/net-peer/icount-boot.sh"
icount_begin
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http_port=$(free_port) sink_port=$(free_port) source_port=$(free_port)

# transfer DIRECTION MB: one transfer through the forwards, checked by its byte count.
transfer() {
  python3 - "$1" "$2" "$sink_port" "$source_port" <<'PY'
import socket, sys
direction, mb, sink, source = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
size = mb << 20
if direction == 'down':
    s = socket.create_connection(('127.0.0.1', source), timeout=300)
    s.sendall(b'%d\n' % size); got = 0
    while True:
        d = s.recv(1 << 20)
        if not d: break
        got += len(d)
    ok = got == size
else:
    s = socket.create_connection(('127.0.0.1', sink), timeout=300)
    for _ in range(mb): s.sendall(b'a' * (1 << 20))
    s.shutdown(socket.SHUT_WR)
    ok = s.makefile().read().strip() == str(size)
print('%s %d MiB %s' % (direction, mb, 'ok' if ok else 'WRONG BYTE COUNT'))
PY
}
settle() { sleep 4; }   # counting-init prints a burst after a second without traffic

icount_initrd --add "$root/bench/net-peer=/bench"
echo "icount: booting the rtjs guest under -icount shift=0" >&2
icount_boot "$build/rtjs.elf" "init=/bin/rtjs -- --single-threaded --cpus 1 --budget 60000 /bench/counting-init.mjs /bench/server.mjs" \
  -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$http_port-:8080,hostfwd=tcp:127.0.0.1:$sink_port-:9001,hostfwd=tcp:127.0.0.1:$source_port-:9002" \
  -device virtio-net-pci,netdev=n0,disable-legacy=on
for _ in $(seq 3000); do grep -q "^listening" "$tmp/console" 2>/dev/null && break; sleep 0.1; done
grep -q "^listening" "$tmp/console" || { echo "icount: the guest never listened" >&2; tail -n 20 "$tmp/console" >&2; exit 1; }
echo "icount: warm-up" >&2
transfer down 2 >&2; settle; transfer up 2 >&2; settle
wrk -t1 -c2 -d3s "http://127.0.0.1:$http_port/" >/dev/null; settle
warm=$(grep -c '^burst' "$tmp/console" || true)
echo "icount: measured" >&2
for _ in 1 2; do transfer down "$mb" >&2; settle; transfer up "$mb" >&2; settle; done
for c in 1 10; do wrk -t1 -c"$c" -d"${secs}s" "http://127.0.0.1:$http_port/" | awk -v c="$c" '/requests in/ { print "wrk " c " connection(s): " $1 " requests" }' >&2; settle; done
icount_stop
tr -d '\r' <"$tmp/console" | grep '^burst' | awk -v w="$warm" '{ print (NR <= w ? "warm-up  " : "measured ") $0 }'
