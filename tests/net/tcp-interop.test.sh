#!/usr/bin/env bash
# TCP interoperability with Linux: the JavaScript stack in rtjs-sim (virtio-net on a TAP
# backend) and a Python peer using Linux's TCP, in a network namespace this test creates (never
# the host's own interfaces). BYTES each way, checked end to end by SHA-256 on both sides, and
# each connection must close cleanly. With FAULTS (--net-faults words) the simulator drops,
# duplicates, reorders and corrupts frames between the driver and the TAP.
# usage: tcp-interop.test.sh RTJS_SIM BYTES [FAULTS]   (NOSACK=1: the guest offers no SACK)
set -u
sim=$1 bytes=$2 faults=${3:-}
root=$(cd "$(dirname "$0")/../.." && pwd)
net_opts=(--net tap,ifname=tap0)
[ -n "$faults" ] && net_opts+=(--net-faults "$faults")
. "$root/tests/net/netns.sh" tcp
in_ns ip addr add 10.9.0.1/24 dev tap0
in_ns ip link set lo up
failed=0
fail() { echo "FAIL - $*"; failed=1; }

# peer MODE PORT: Linux's side of one transfer; prints what it sent or received and its digest.
peer() {
  in_ns python3 - "$1" "$2" "$bytes" <<'PY'
import hashlib, os, socket, sys
mode, port, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(('10.9.0.1', port)); ls.listen(1)
print('peer listening', flush=True)
ls.settimeout(600)
c, _ = ls.accept(); c.settimeout(600)
h = hashlib.sha256(); n = 0
if mode == 'recv':
    while True:
        d = c.recv(1 << 20)
        if not d: break
        h.update(d); n += len(d)
    c.close()
    print('peer received %d sha256 %s' % (n, h.hexdigest()), flush=True)
else:
    while n < size:
        d = os.urandom(min(1 << 16, size - n))
        c.sendall(d); h.update(d); n += len(d)
    c.shutdown(socket.SHUT_WR)
    rest = c.recv(1)   # the guest's FIN: the connection closes both ways
    c.close()
    print('peer sent %d sha256 %s%s' % (n, h.hexdigest(), '' if rest == b'' else ' (unexpected data after)'), flush=True)
PY
}

# run GUEST_MODE PEER_MODE PORT: one transfer; both sides' outputs in $tmp.
run() {
  peer "$2" "$3" >"$tmp/peer-$1" 2>&1 & peer_pid=$!
  for _ in $(seq 100); do grep -q "peer listening" "$tmp/peer-$1" && break; sleep 0.1; done
  (cd "$root/tests/js" && in_ns "$sim" --headless "${net_opts[@]}" net/tcp-interop.js "$1" "$3" "$bytes" ${NOSACK:+nosack}) >"$tmp/guest-$1" 2>&1 ||
    fail "guest $1: rtjs-sim failed"
  wait "$peer_pid"; peer_pid=
  cat "$tmp/guest-$1" "$tmp/peer-$1"
}
digest() { sed -n "s/^$1 [0-9]* sha256 \([0-9a-f]*\).*/\1/p" "$2"; }

run send recv 5001
g=$(digest "guest sent" "$tmp/guest-send") p=$(digest "peer received" "$tmp/peer-send")
grep -q "^guest sent $bytes sha256" "$tmp/guest-send" || fail "guest -> Linux: the guest did not send $bytes bytes"
[ -n "$g" ] && [ "$g" = "$p" ] || fail "guest -> Linux: digests differ (guest $g, peer $p)"
grep -q "^connection: closed cleanly" "$tmp/guest-send" || fail "guest -> Linux: the connection did not close cleanly"
[ -n "${NOSACK:-}" ] || grep -q "sack agreed" "$tmp/guest-send" || fail "guest -> Linux: selective acknowledgements were not agreed (Linux offers them)"

run recv send 5002
g=$(digest "guest received" "$tmp/guest-recv") p=$(digest "peer sent" "$tmp/peer-recv")
grep -q "^guest received $bytes sha256" "$tmp/guest-recv" || fail "Linux -> guest: the guest did not receive $bytes bytes"
[ -n "$g" ] && [ "$g" = "$p" ] || fail "Linux -> guest: digests differ (guest $g, peer $p)"
grep -q "^connection: closed cleanly" "$tmp/guest-recv" || fail "Linux -> guest: the connection did not close cleanly"
grep -q "unexpected" "$tmp/peer-recv" && fail "Linux -> guest: data after the transfer"

[ $failed -eq 0 ] && echo "ok - tcp interop with Linux: $bytes bytes each way${faults:+ with faults $faults}, digests equal, closed cleanly"
exit $failed
