// The network stack over the virtio-net driver against libslirp (rtjs-sim --net user, or
// QEMU's -netdev user), driven by tests/net/stack-slirp.test.sh: DHCP gives 10.0.2.15, the
// host's address answers a ping, a page is fetched from an HTTP server on the host
// (10.0.2.2:PORT), a name is resolved by a DNS server on the host (dnsmasq, reached as
// 10.0.2.2:DNS_PORT) and a missing one is ENOTFOUND, connections a host peer answers and
// resets at once end without ending the simulator, and a page is served on port 80 for curl
// on the host through a host forward.
// arguments: the host HTTP server's port, (unused), the host DNS server's port (none: no DNS
// checks), the resetting peer's port (none: not checked).
import { PciBus } from '../../../js/drivers/pci.js';
import { VirtioPciTransport, virtioDeviceId } from '../../../js/drivers/virtio/index.js';
import { VirtioNet } from '../../../js/drivers/virtio-net.js';
import { NetStack } from '../../../js/services/net/stack.js';
import { DhcpClient } from '../../../js/services/net/dhcp.js';
import { Resolver } from '../../../js/services/net/dns.js';
import { parseIPv4 as ip, formatIPv4 } from '../../../js/services/net/addr.js';

const hostPort = Number(rt.argv[0]);
const dnsPort = Number(rt.argv[2] || 0);  // argv[1]: a task budget, for service-slirp.js's sake
const resetPort = Number(rt.argv[3] || 0);
// Connections to the resetting peer.
const RESET_ROUNDS = 20;
const pci = new PciBus(rt.hw.ports(0xcf8, 8));
const fn = pci.enumerate().find((d) => virtioDeviceId(d) === 1);
if (!fn) throw new Error('no virtio-net PCI function');
const nic = new VirtioNet(new VirtioPciTransport(pci, fn, 'virtio-net'));
const stack = new NetStack();
const eth0 = stack.addEthernet('eth0', nic);

const text = (chunks) => new TextDecoder().decode(concat(chunks));
function concat(chunks) {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

const lease = await new DhcpClient(stack, eth0).start();
console.log(`dhcp: ${lease.address}/${lease.prefix} router ${lease.router} dns ${lease.dns.join(',')}`);

const pong = await stack.icmp.ping(ip('10.0.2.2'), { timeoutMs: 10000 });
console.log(`ping ${formatIPv4(pong.from)}: ${pong.bytes} bytes`);

if (dnsPort) {
  const resolver = new Resolver(stack);
  resolver.servers = [{ address: ip('10.0.2.2'), port: dnsPort }];
  console.log(`dns: www.rtjs.test is ${(await resolver.resolve('www.rtjs.test')).join(',')}`);
  const missing = await resolver.resolve('missing.rtjs.test').then((a) => `resolved to ${a}`, (e) => `${e.code} ${e.hostname}`);
  console.log(`dns: missing.rtjs.test: ${missing}`);
}

// A host peer that answers the guest's first bytes, then ends and resets the connection at
// once: slirp reads the answer and is told of the reset in one poll, and writes to the socket
// the host has reset (EPIPE). The simulator lives on, and each connection ends, in ECONNRESET
// or (when slirp passes on the peer's FIN first) in the peer's end: which one depends on the
// host's timing, so both are counted.
if (resetPort) {
  const ends = {};
  for (let i = 0; i < RESET_ROUNDS; i++) {
    const end = await new Promise((resolve) => {
      const c = stack.tcp.connect(ip('10.0.2.2'), resetPort);
      let how = 'closed';
      c.on('connect', () => c.write(new TextEncoder().encode(`round ${i}\n`)));
      c.on('end', () => { how = 'ended'; c.end(); });
      c.on('error', (e) => { how = e.code; });
      c.on('close', () => resolve(how));
    });
    ends[end] = (ends[end] ?? 0) + 1;
  }
  const total = Object.values(ends).reduce((a, b) => a + b, 0);
  console.log(`reset: ${total} connections ended (${Object.entries(ends).map(([k, n]) => `${k} ${n}`).join(', ')})`);
}

// HTTP/1.0 GET from the host's server: the connection ends with the body.
const body = await new Promise((resolve, reject) => {
  const c = stack.tcp.connect(ip('10.0.2.2'), hostPort);
  const chunks = [];
  c.on('connect', () => { c.write(new TextEncoder().encode('GET /hello.txt HTTP/1.0\r\nHost: 10.0.2.2\r\n\r\n')); c.end(); });
  c.on('data', (d) => chunks.push(d));
  c.on('end', () => resolve(text(chunks)));
  c.on('error', reject);
});
const [head, content] = body.split('\r\n\r\n');
console.log(`fetched: ${head.split('\r\n')[0]} | ${content.trim()}`);

// Serve one request on port 80; the host's curl reaches it through the host forward.
const served = new Promise((resolve) => {
  stack.tcp.listen(80).onConnection((c) => {
    const chunks = [];
    c.on('data', (d) => {
      chunks.push(d);
      const req = text(chunks);
      if (!req.includes('\r\n\r\n')) return;
      const page = `hello from rtjs at ${lease.address}\n`;
      c.write(new TextEncoder().encode(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${page.length}\r\nConnection: close\r\n\r\n${page}`));
      c.end();
      console.log(`served: ${req.split('\r\n')[0]}`);
    });
    c.on('close', resolve);
  });
});
console.log('listening on 80');
await served;
console.log(`tcp: ${JSON.stringify(stack.counters().tcp)}`);
rt.exit(0);
