// node:dgram and node:dns between apps of one machine, over the network service on its
// loopback interface: a UDP echo server in one app, a client in this one, and name lookups.
import { test, assertEqual, assertMatch } from './harness.js';
import { startNetwork } from 'rtjs:services/net/launch.js';
import { setNetwork } from 'rtjs:services/net/client.js';
import dgram from 'node:dgram';
import dns from 'node:dns';
import dnsPromises from 'node:dns/promises';

const { net: network, handle } = await startNetwork({ loopback: true });
setNetwork(network);

const echo = rt.spawn({ source: `
  import dgram from 'node:dgram';
  const s = dgram.createSocket('udp4');
  s.on('message', (msg, rinfo) => s.send(new TextDecoder().decode(msg).toUpperCase(), rinfo.port, rinfo.address));
  s.bind(5300, '127.0.0.1', () => rt.export({ port: s.address().port }));
` }, { name: 'udp-echo', grant: { net: network } });
const { port } = await echo.interface;

test('a datagram to another app and its answer, with the sender\'s address', async () => {
  const s = dgram.createSocket('udp4');
  const reply = new Promise((resolve) => s.on('message', (msg, rinfo) => resolve([new TextDecoder().decode(msg), rinfo.address, rinfo.port])));
  await new Promise((resolve) => s.bind(0, resolve));
  s.send('hello udp', port, '127.0.0.1');
  const [text, address, from] = await reply;
  assertEqual([text, address, from], ['HELLO UDP', '127.0.0.1', 5300]);
  assertEqual(s.address().address, '0.0.0.0');
  s.close();
});

test('a connect()ed socket sends without an address, hears only its peer, and disconnects', async () => {
  const s = dgram.createSocket('udp4');
  const other = dgram.createSocket('udp4');
  const heard = [];
  s.on('message', (msg, rinfo) => heard.push([String(msg), rinfo.port]));
  await new Promise((resolve) => s.connect(port, '127.0.0.1', resolve));
  assertEqual(s.remoteAddress(), { address: '127.0.0.1', family: 'IPv4', port });
  const codes = [];
  for (const bad of [() => s.connect(port), () => s.send('x', port, '127.0.0.1', () => {})]) {
    try { bad(); } catch (e) { codes.push(e.code); }
  }
  // A datagram from another socket is not this one's to hear; the peer's answer is.
  await new Promise((resolve) => other.bind(0, '127.0.0.1', resolve));
  other.send('stray', s.address().port, '127.0.0.1');
  const bytes = await new Promise((resolve, reject) => s.send(['conn', 'ected'], (e, n) => (e ? reject(e) : resolve(n))));
  for (let i = 0; i < 500 && heard.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  s.disconnect();
  try { s.remoteAddress(); } catch (e) { codes.push(e.code); }
  assertEqual([bytes, heard, codes], [9, [['CONNECTED', port]], ['ERR_SOCKET_DGRAM_IS_CONNECTED', 'ERR_SOCKET_DGRAM_IS_CONNECTED', 'ERR_SOCKET_DGRAM_NOT_CONNECTED']]);
  s.close();
  other.close();
});

test('bind to a port in use: EADDRINUSE; send after close: ERR_SOCKET_DGRAM_NOT_RUNNING', async () => {
  const s = dgram.createSocket('udp4');
  const err = await new Promise((resolve) => { s.on('error', resolve); s.bind(5300, '127.0.0.1'); });
  assertEqual(err.code, 'EADDRINUSE');
  const t = dgram.createSocket('udp4');
  t.close();
  let thrown = null;
  try { t.send('x', port, '127.0.0.1'); } catch (e) { thrown = e; }
  assertEqual(thrown?.code, 'ERR_SOCKET_DGRAM_NOT_RUNNING');
});

test('dns: localhost and literal addresses resolve; an unknown name is ENOTFOUND', async () => {
  assertEqual(await dnsPromises.lookup('localhost'), { address: '127.0.0.1', family: 4 });
  assertEqual(await dnsPromises.lookup('10.0.2.15'), { address: '10.0.2.15', family: 4 });
  const [address, family] = await new Promise((resolve, reject) => dns.lookup('localhost', (e, a, f) => (e ? reject(e) : resolve([a, f]))));
  assertEqual([address, family], ['127.0.0.1', 4]);
  let err = null;
  try { await dnsPromises.lookup('no-such-host.invalid'); } catch (e) { err = e; }
  assertEqual([err?.code, err?.syscall, err?.hostname], ['ENOTFOUND', 'getaddrinfo', 'no-such-host.invalid']);
  assertMatch(err.message, /^getaddrinfo ENOTFOUND no-such-host\.invalid$/);
  echo.kill();
  handle.kill();
});
