#!/usr/bin/env bash
# TLS (node:tls, node:https, fetch over https): tests/js/net/tls.js with certificates this
# script makes with the host's openssl in a temporary directory: a test CA and a server
# certificate it signs (localhost, 127.0.0.1, 10.0.2.15, 10.0.2.2), one for alt.test (SNI),
# a client's, one signed by another CA, an expired one and a self-signed one.
# The app's main module is a one-line launcher in the certificates' directory, so that the VFS
# shows it that directory (an app's boot files are its main module's directory).
# usage: tls.test.sh sim|ring0|kernel BUILD_DIR
#   sim, kernel: with host peers through user networking (openssl s_server, Node's https
#   server, a plain HTTP server; curl and Node fetch the app's https server through a host
#   forward); ring0 (the kernel's runtime program on Linux, no network device): loopback only.
set -u
target=$1 build=$(cd "$2" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL - net/tls@$target: $*"; echo "--- guest output:"; tr -d '\r' <"$tmp/out" 2>/dev/null | tail -n 60; exit 1; }
. "$root/tests/net/guest.sh"
command -v openssl >/dev/null || { echo "SKIP: no openssl on the host"; exit 77; }

# Certificates: P-256 keys (cheap to use under TCG).
c=$tmp/tls
mkdir "$c"; : >"$tmp/out"
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
key "$c/ca.key"; key "$c/otherca.key"; key "$c/server.key"
openssl req -x509 -new -key "$c/ca.key" -subj "/CN=rtjs test CA" -days 30 -out "$c/ca.pem" 2>/dev/null || fail "openssl: CA"
openssl req -x509 -new -key "$c/otherca.key" -subj "/CN=another CA" -days 30 -out "$c/otherca.pem" 2>/dev/null || fail "openssl: other CA"
openssl req -new -key "$c/server.key" -subj "/CN=localhost" -out "$c/server.csr" 2>/dev/null || fail "openssl: CSR"
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:10.0.2.15,IP:10.0.2.2\n' >"$c/ext"
sign() { # sign CA-NAME DAYS OUT
  openssl x509 -req -in "$c/server.csr" -CA "$c/$1.pem" -CAkey "$c/$1.key" -set_serial "$RANDOM$RANDOM" \
    -days "$2" -extfile "$c/ext" -out "$3" 2>/dev/null || fail "openssl: signing $3"
}
sign ca 30 "$c/server.pem"
sign otherca 30 "$c/other-ca.pem"
sign ca -1 "$c/expired.pem"    # not after the day before it was made
openssl req -x509 -new -key "$c/server.key" -subj "/CN=localhost" -days 30 -addext "$(cat "$c/ext")" -out "$c/self-signed.pem" 2>/dev/null || fail "openssl: self-signed"
openssl req -new -key "$c/server.key" -subj "/CN=rtjs client" -out "$c/client.csr" 2>/dev/null || fail "openssl: client CSR"
openssl x509 -req -in "$c/client.csr" -CA "$c/ca.pem" -CAkey "$c/ca.key" -set_serial 9 -days 30 \
  -out "$c/client.pem" 2>/dev/null || fail "openssl: client certificate"
printf 'subjectAltName=DNS:alt.test\n' >"$c/alt.ext"
openssl x509 -req -in "$c/server.csr" -CA "$c/ca.pem" -CAkey "$c/ca.key" -set_serial 7 -days 30 -extfile "$c/alt.ext" \
  -out "$c/alt.pem" 2>/dev/null || fail "openssl: alt.test"
openssl x509 -in "$c/server.pem" -noout -fingerprint -sha256 >"$c/server.fp256"
launcher() { echo "await import('$1/net/tls.js');" >"$c/run.js"; }

: >"$tmp/out"
if [ "$target" = ring0 ]; then
  launcher "$root/tests/js"
  (cd "$c" && exec timeout 600 "$build/rtjs" --single-threaded --budget 60000 --env "NODE_EXTRA_CA_CERTS=$c/ca.pem" "$c/run.js" "$c" loopback) >"$tmp/out" 2>&1
  status=$?
  tr -d '\r' <"$tmp/out"
  [ "$status" = 0 ] || fail "the runtime ended with status $status"
  tail -n 1 "$tmp/out" | grep -qE '^[0-9]+ passed, 0 failed$' || fail "no summary line"
  exit 0
fi

for tool in node curl python3; do
  command -v $tool >/dev/null || { echo "SKIP: no $tool on the host (the peers need it)"; exit 77; }
done
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
token=$RANDOM$RANDOM
sport=$(freeport)
openssl s_server -accept "127.0.0.1:$sport" -cert "$c/server.pem" -key "$c/server.key" -alpn http/1.1 -www -quiet >"$tmp/s_server.log" 2>&1 &
pids+=($!)
nport=$(freeport)
cat >"$tmp/server.mjs" <<EOF
import https from 'node:https';
import fs from 'node:fs';
// /connection answers which of the server's TLS connections the request came on, /resumed
// whether that connection resumed a TLS session.
const ordinals = new WeakMap();
let opened = 0;
https.createServer({ key: fs.readFileSync('$c/server.key'), cert: fs.readFileSync('$c/server.pem') }, (req, res) => {
  if (!ordinals.has(req.socket)) ordinals.set(req.socket, ++opened);
  if (req.url === '/connection') return res.end('connection ' + ordinals.get(req.socket));
  if (req.url === '/resumed') return res.end('resumed ' + req.socket.isSessionReused());
  res.end('node says ' + req.url + ' over ' + req.socket.getProtocol() + ' token $token');
}).listen($nport, '127.0.0.1', () => console.log('ready'));
EOF
node "$tmp/server.mjs" >"$tmp/node.log" 2>&1 &
pids+=($!)
pport=$(freeport)
python3 -m http.server --bind 127.0.0.1 "$pport" --directory "$tmp" >/dev/null 2>&1 &
pids+=($!)
up() { grep -q ready "$tmp/node.log" && (exec 3<>"/dev/tcp/127.0.0.1/$sport") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$pport") 2>/dev/null; }
for _ in $(seq 1200); do up && break; sleep 0.1; done
up || fail "the host's peers did not start (s_server, node, python)"
fwd=$(freeport)
ports="$sport,$nport,$pport"

if [ "$target" = sim ]; then
  launcher "$root/tests/js"
  (cd "$c" && exec "$build/rtjs-sim" --headless --net "user,hostfwd=tcp:127.0.0.1:$fwd-:443" \
    --budget 60000 --env "NODE_EXTRA_CA_CERTS=$c/ca.pem" "$c/run.js" "$c" "$ports") >"$tmp/out" 2>&1 &
  pids+=($!)
else
  launcher /tests/js
  "$root/scripts/mkinitrd" "$tmp/initrd.cpio" --add "$root/js=/js" --add "$root/tests/js=/tests/js" --add "$c=/tls" >/dev/null || fail "mkinitrd"
  "$root/scripts/qemu-run" -q -k "$build/rtjs.elf" -r "$tmp/initrd.cpio" -t 900 -s 1 -l "$tmp/out" \
    -a "init=/bin/rtjs -- --single-threaded --cpus 1 --budget 60000 --env NODE_EXTRA_CA_CERTS=/tls/ca.pem /tls/run.js /tls $ports 262144" \
    -- -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$fwd-:443" -device virtio-net-pci,netdev=n0,disable-legacy=on >/dev/null 2>&1 &
  pids+=($!)
fi
guest=${pids[-1]}

guest_listening "listening on 443" 9000
page=$(curl -s --max-time 300 --cacert "$c/ca.pem" --resolve "localhost:$fwd:127.0.0.1" "https://localhost:$fwd/curl") || fail "curl could not fetch the guest's page"
npage=$(NODE_EXTRA_CA_CERTS="$c/ca.pem" node -e "fetch('https://localhost:$fwd/node').then((r) => r.text()).then((t) => process.stdout.write(t), (e) => { console.log('node fetch failed:', e.cause?.code ?? e.message); process.exit(1); })") || fail "Node could not fetch the guest's page: $npage"
# What Node itself says to the plain HTTP server: the code rtjs must give.
ncode=$(node -e "require('tls').connect({ port: $pport, host: '127.0.0.1' }).on('error', (e) => console.log(e.code))")

guest_ended 6000
check '^[0-9]+ passed, 0 failed$'
check "^node-https: node says /from-rtjs over TLSv1\\.3 token $token\$"
check '^node-keepalive: 3 requests on one connection$'
check '^s_server-resumed: Reused$'
check '^node-resumed: resumed false, resumed true$'
check "^non-tls: $ncode\$"
check '^served: curl node$'
[ "$page" = "hello over TLSv1.3 from rtjs /curl" ] || fail "curl got '$page'"
[ "$npage" = "hello over TLSv1.3 from rtjs /node" ] || fail "Node got '$npage'"
grep -E '^(s_server|node-|non-tls|served|.* passed)' <<<"$out"
echo "curl: $page"
echo "node: $npage"
echo "non-tls: Node says $ncode"
echo "1 passed, 0 failed"
