# Sourced by the tests that give a guest a TAP interface in a network namespace of their own
# (never the host's interfaces): skipped (status 77) without root or namespaces; makes $tmp
# and the namespace $ns with tap0 up (IPv6 off on it, so Linux sends the guest nothing
# unasked), and in_ns to run a command there. The EXIT trap ends $peer_pid if the test set
# one, deletes the namespace and removes $tmp. usage: . netns.sh NAME
[ "$(id -u)" = 0 ] || { echo "skipped: needs root for a network namespace"; exit 77; }
ns=rtjs-$1-$$
tmp=$(mktemp -d)
peer_pid=
netns_cleanup() { [ -n "$peer_pid" ] && kill "$peer_pid" 2>/dev/null; ip netns del "$ns" 2>/dev/null; rm -rf "$tmp"; }
trap netns_cleanup EXIT
ip netns add "$ns" || { echo "skipped: cannot create a network namespace"; exit 77; }
in_ns() { ip netns exec "$ns" "$@"; }
in_ns ip tuntap add dev tap0 mode tap || { echo "FAIL - cannot create tap0 in the namespace"; exit 1; }
in_ns sysctl -qw net.ipv6.conf.tap0.disable_ipv6=1
in_ns ip link set tap0 up
