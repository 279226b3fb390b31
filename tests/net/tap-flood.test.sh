#!/usr/bin/env bash
# The frame flood, each way, between the virtio-net driver in rtjs-sim (TAP backend) and a
# packet-socket peer, inside a network namespace this test creates (never the host's own
# interfaces). Every frame sent is received or counted as dropped somewhere: by the driver,
# the simulated device, the TAP backend, the TAP interface or the peer's socket; and the
# driver's heap after 10% of the flood and at its end differ by less than HEAP_SLACK_MB.
# With FAULTS (--net-faults words) the simulator also drops, duplicates, reorders and
# corrupts frames; those are counted too, and the same seed gives the same faults.
# GUEST is rtjs-sim's path, or kernel:BUILD_DIR for the rtjs kernel in QEMU on -netdev tap
# (QEMU stops reading the TAP while the driver has no receive buffer, so what it cannot take
# is counted in tap0's tx_dropped; the simulator's own counters are 0 there).
# usage: tap-flood.test.sh GUEST FRAME_PEER COUNT [FAULTS]
set -u
sim=$1 peer=$2 count=$3 faults=${4:-}
net_opts=(--net tap,ifname=tap0)
[ -n "$faults" ] && net_opts+=(--net-faults "$faults")
kernel=
case $sim in kernel:*) kernel=${sim#kernel:} ;; esac
HEAP_SLACK_MB=8
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/net/netns.sh" flood
if [ -n "$kernel" ]; then
  "$root/scripts/mkinitrd" "$tmp/initrd.cpio" --add "$root/js=/js" --add "$root/tests/js=/tests/js" >/dev/null ||
    { echo "FAIL - mkinitrd"; exit 1; }
fi
# guest MODE: the flood's guest half, its console on stdout (the kernel's when it has ended).
guest() {
  if [ -z "$kernel" ]; then
    in_ns "$sim" --headless "${net_opts[@]}" "$root/tests/js/net/flood.js" "$1" "$count"
    return
  fi
  local log="$tmp/serial-$1"
  : >"$log"
  in_ns "$root/scripts/qemu-run" -q -k "$kernel/rtjs.elf" -r "$tmp/initrd.cpio" -t 280 -s 1 -l "$log" \
    -a "init=/bin/rtjs -- --single-threaded --cpus 1 --budget 60000 /tests/js/net/flood.js $1 $count" \
    -- -netdev tap,id=n0,ifname=tap0,script=no,downscript=no -device virtio-net-pci,netdev=n0,disable-legacy=on \
    >/dev/null 2>&1
  local rc=$?
  tr -d '\r' <"$log"
  # the simulator prints its device counters at exit; QEMU has none to print
  echo "rtjs kernel: rx no buffer 0, rx device not ready 0; backend tx dropped 0; faults: dropped 0, duplicated 0, reordered 0, corrupted 0"
  return $rc
}
stat() { in_ns cat "/sys/class/net/tap0/statistics/$1"; }
failed=0
fail() { echo "FAIL - $*"; failed=1; }
num() { sed -n "s/.*$1 \([0-9][0-9]*\).*/\1/p" "$2" | head -1; }

# ---- guest -> peer -----------------------------------------------------------------------
ip netns exec "$ns" "$peer" recv tap0 "$count" >"$tmp/peer-recv" 2>&1 & peer_pid=$! # the peer itself
# the peer's socket is bound before the first frame (a miss would show as a loss)
for _ in $(seq 600); do grep -q "^peer ready" "$tmp/peer-recv" && break; sleep 0.1; done
guest send >"$tmp/guest-send" 2>&1
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
guest recv >"$tmp/guest-recv" 2>&1 & sim_pid=$!
console=$tmp/guest-recv
[ -n "$kernel" ] && console=$tmp/serial-recv # the kernel's console, as it arrives
for _ in $(seq 3000); do grep -q "guest ready" "$console" 2>/dev/null && break; sleep 0.1; done
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
