#!/usr/bin/env bash
# The frame flood, each way, between the virtio-net driver in rtjs-sim (TAP backend) and a
# packet-socket peer, inside a network namespace this test creates (never the host's own
# interfaces). Every frame sent is received or counted as dropped somewhere: by the driver,
# the simulated device, the TAP backend, the TAP interface or the peer's socket; and the
# driver's heap after 10% of the flood and at its end differ by less than HEAP_SLACK_MB.
# With FAULTS (--net-faults words) the simulator also drops, duplicates, reorders and
# corrupts frames; those are counted too, and the same seed gives the same faults.
# usage: tap-flood.test.sh RTJS_SIM FRAME_PEER COUNT [FAULTS]
set -u
sim=$1 peer=$2 count=$3 faults=${4:-}
net_opts=(--net tap,ifname=tap0)
[ -n "$faults" ] && net_opts+=(--net-faults "$faults")
HEAP_SLACK_MB=8
root=$(cd "$(dirname "$0")/../.." && pwd)
[ "$(id -u)" = 0 ] || { echo "skipped: needs root for a network namespace"; exit 77; }
ns=rtjs-flood-$$
tmp=$(mktemp -d)
cleanup() { [ -n "${peer_pid:-}" ] && kill "$peer_pid" 2>/dev/null; ip netns del "$ns" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
ip netns add "$ns" || { echo "skipped: cannot create a network namespace"; exit 77; }
in_ns() { ip netns exec "$ns" "$@"; }
in_ns ip tuntap add dev tap0 mode tap || { echo "FAIL - cannot create tap0 in the namespace"; exit 1; }
in_ns sysctl -qw net.ipv6.conf.tap0.disable_ipv6=1
in_ns ip link set tap0 up
stat() { in_ns cat "/sys/class/net/tap0/statistics/$1"; }
failed=0
fail() { echo "FAIL - $*"; failed=1; }
num() { sed -n "s/.*$1 \([0-9][0-9]*\).*/\1/p" "$2" | head -1; }

# ---- guest -> peer -----------------------------------------------------------------------
ip netns exec "$ns" "$peer" recv tap0 "$count" >"$tmp/peer-recv" 2>&1 & peer_pid=$! # the peer itself
sleep 0.2 # the peer's socket is bound before the first frame (a miss would show as a loss)
in_ns "$sim" --headless "${net_opts[@]}" "$root/tests/js/net/flood.js" send "$count" >"$tmp/guest-send" 2>&1
wait "$peer_pid"; peer_pid=
cat "$tmp/guest-send" "$tmp/peer-recv"
got=$(num "peer received" "$tmp/peer-recv"); sock=$(num "socket drops" "$tmp/peer-recv")
backend=$(num "backend tx dropped" "$tmp/guest-send")
fdrop=$(num "faults: dropped" "$tmp/guest-send"); fcorrupt=$(num "corrupted" "$tmp/guest-send")
fdup=$(num "duplicated" "$tmp/guest-send"); pdups=$(num "duplicates" "$tmp/peer-recv")
tap_rx_dropped=$(stat rx_dropped)
[ -n "$got" ] && [ -n "$backend" ] || { fail "guest -> peer: no counters (the run failed?)"; got=0 backend=0 fdrop=0 fcorrupt=0 fdup=0 pdups=0; }
counted=$((sock + backend + tap_rx_dropped + fdrop + fcorrupt))
lost=$((count - got))
echo "guest -> peer: $got of $count arrived; counted drops: peer socket $sock, TAP backend $backend, tap0 rx_dropped $tap_rx_dropped, faults dropped $fdrop, corrupted $fcorrupt"
[ "$lost" -le "$counted" ] || fail "guest -> peer: $lost frames lost, only $counted counted"
[ "$pdups" -le $((fdup + fcorrupt)) ] || fail "guest -> peer: $pdups duplicates, $fdup made by faults"

# ---- peer -> guest -----------------------------------------------------------------------
tx_dropped_before=$(stat tx_dropped)
in_ns "$sim" --headless "${net_opts[@]}" "$root/tests/js/net/flood.js" recv "$count" >"$tmp/guest-recv" 2>&1 & sim_pid=$!
for _ in $(seq 600); do grep -q "guest ready" "$tmp/guest-recv" && break; sleep 0.1; done
ip netns exec "$ns" "$peer" send tap0 "$count" >"$tmp/peer-send" 2>&1 & peer_pid=$! # the peer itself
wait "$sim_pid"
kill "$peer_pid" 2>/dev/null; wait "$peer_pid" 2>/dev/null; peer_pid=
cat "$tmp/peer-send" "$tmp/guest-recv"
got=$(num "guest received" "$tmp/guest-recv"); nobuf=$(num "rx no buffer" "$tmp/guest-recv")
notready=$(num "rx device not ready" "$tmp/guest-recv"); gdups=$(num "duplicates" "$tmp/guest-recv")
fdrop=$(num "faults: dropped" "$tmp/guest-recv"); fcorrupt=$(num "corrupted" "$tmp/guest-recv")
fdup=$(num "duplicated" "$tmp/guest-recv")
[ -n "$got" ] && [ -n "$nobuf" ] || { fail "peer -> guest: no counters (the run failed?)"; got=0 nobuf=0 notready=0 gdups=0 fdrop=0 fcorrupt=0 fdup=0; }
tap_tx=$(( $(stat tx_dropped) - tx_dropped_before ))
counted=$((nobuf + notready + tap_tx + fdrop + fcorrupt))
lost=$((count - got))
echo "peer -> guest: $got of $count arrived; counted drops: device no buffer $nobuf, not ready $notready, tap0 tx_dropped $tap_tx, faults dropped $fdrop, corrupted $fcorrupt"
[ "$lost" -le "$counted" ] || fail "peer -> guest: $lost frames lost, only $counted counted"
[ "$gdups" -le $((fdup + fcorrupt)) ] || fail "peer -> guest: $gdups duplicates, $fdup made by faults"

# ---- memory --------------------------------------------------------------------------------
for f in "$tmp/guest-send" "$tmp/guest-recv"; do
  read -r early late < <(sed -n 's/^heap after 10%: \([0-9.]*\) MB, at the end: \([0-9.]*\) MB$/\1 \2/p' "$f")
  [ -n "${early:-}" ] || { fail "no heap figures in $(basename "$f")"; continue; }
  awk -v a="$early" -v b="$late" -v s="$HEAP_SLACK_MB" 'BEGIN { exit !(b - a < s) }' ||
    fail "driver heap grew from $early MB to $late MB during the flood"
done
[ $failed -eq 0 ] && echo "ok - tap flood: $count frames each way, every loss counted"
exit $failed
