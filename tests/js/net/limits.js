// The stack's limits under load (tests/CMakeLists.txt runs it on rtjs-sim and the ring-0
// program, and on the kernel with a count bounded for TCG):
// - 10,000 TCP connections opened, used and closed in a loop over the loopback interface leave
//   nothing behind: no connection in the stack's table, no timer pending (every setTimeout the
//   stack made has fired or been cleared), and a heap that does not grow with the count;
// - a SYN flood from spoofed addresses holds no more than the listener's limits, the SYNs past
//   them are answered with SYN cookies (RFC 4987), an established connection carries on
//   through it, and a new one opened during it is made from its returning cookie.
// argument: the number of connections (10000).
import { test, assertEqual } from '../harness.js';
import { NetStack } from '../../../js/services/net/stack.js';
import { parseIPv4 as ip, formatIPv4 } from '../../../js/services/net/addr.js';
import { buildSegment } from '../../../js/services/net/tcp-segment.js';
import { PROTO_TCP } from '../../../js/services/net/ipv4.js';
import { cable } from '../fixtures/net-wire.js';

const COUNT = Number(globalThis.rt?.argv?.[0] ?? 10000);
const SAMPLE_AT = COUNT / 10;
const HEAP_SLACK = 8 * 1048576;   // young-generation garbage; a leak of one connection each is more
const MSL_MS = 2;                 // TIME_WAIT (2 MSL) in the test: 4 ms instead of 60 s

// Every timer the stack starts, until it fires or is cleared.
const live = new Set();
const realSetTimeout = globalThis.setTimeout, realClearTimeout = globalThis.clearTimeout;
globalThis.setTimeout = (fn, ms, ...args) => {
  const id = realSetTimeout(() => { live.delete(id); fn(...args); }, ms);
  live.add(id);
  return id;
};
globalThis.clearTimeout = (id) => { live.delete(id); realClearTimeout(id); };

const tick = () => new Promise((r) => realSetTimeout(r, 1));
const heap = () => process.memoryUsage().heapUsed;

test(`${COUNT} connections opened and closed leave no sockets, timers or memory behind`, async () => {
  const s = new NetStack();
  s.tcp.msl = MSL_MS;
  const listener = s.tcp.listen(7000);
  let served = 0;
  listener.onConnection((c) => {
    c.on('data', (d) => c.write(d));
    c.on('end', () => c.end());
    c.on('close', () => { served++; });
  });
  const one = (i) => new Promise((resolve, reject) => {
    const c = s.tcp.connect(ip('127.0.0.1'), 7000);
    const msg = Uint8Array.of(i & 0xff, i >> 8 & 0xff);
    let echoed = 0;
    c.on('connect', () => c.write(msg));
    c.on('data', (d) => { echoed += d.length; if (echoed === msg.length) c.end(); });
    c.on('error', reject);
    c.on('close', () => (echoed === msg.length ? resolve() : reject(new Error(`connection ${i}: echo of ${echoed} bytes`))));
  });
  let early = 0;
  const t0 = performance.now();
  for (let i = 0; i < COUNT; i++) {
    await one(i);
    if (i + 1 === SAMPLE_AT) early = heap();
  }
  const ms = performance.now() - t0;
  // The last connections' TIME_WAIT and delayed ACKs run out.
  for (let i = 0; i < 2000 && (s.tcp.connectionCount > 0 || live.size > 0); i++) await tick();
  const late = heap();
  assertEqual(served, COUNT, 'connections the server saw close');
  assertEqual(s.tcp.connectionCount, 0, `connections left: ${JSON.stringify(s.sockets().slice(0, 3))}`);
  assertEqual(s.sockets().map((x) => `${x.protocol} ${x.state} ${x.local}`), ['tcp LISTEN 0.0.0.0:7000']);
  assertEqual(live.size, 0, 'timers still pending');
  assertEqual(late - early < HEAP_SLACK, true, `heap grew from ${(early / 1048576).toFixed(1)} MB to ${(late / 1048576).toFixed(1)} MB`);
  listener.close?.();
  console.log(`${COUNT} connections in ${(ms / 1000).toFixed(1)} s; heap after ${SAMPLE_AT}: ${(early / 1048576).toFixed(1)} MB, ` +
    `at the end: ${(late / 1048576).toFixed(1)} MB; tcp ${JSON.stringify({ activeOpens: s.tcp.stats.activeOpens, passiveOpens: s.tcp.stats.passiveOpens, segmentsOut: s.tcp.stats.segmentsOut })}`);
});

const until = async (cond, what, ms = 60000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`${what}: did not happen within ${ms} ms`);
    await new Promise((r) => realSetTimeout(r, 5));
  }
};

test('a SYN flood from spoofed addresses fills no more than the listener\'s limits; established connections carry on', async () => {
  const [na, nb] = cable();
  const a = new NetStack(), b = new NetStack();
  a.addEthernet('eth0', na); b.addEthernet('eth0', nb);
  a.configure('eth0', { address: '192.168.7.1', prefix: 24 });
  b.configure('eth0', { address: '192.168.7.2', prefix: 24 });
  const SYN = 0x02, HALF_OPEN_MAX = 256, FLOOD = 5000, BACKLOG = 8;
  b.tcp.listen(80).onConnection((c) => { c.on('data', (d) => c.write(d)); c.on('end', () => c.end()); });
  const unaccepted = b.tcp.listen(81, undefined, { backlog: BACKLOG });   // nobody takes its connections
  // An established connection before the flood, used during and after it.
  const echoed = [];
  const c = a.tcp.connect(ip('192.168.7.2'), 80);
  c.on('data', (d) => echoed.push(...d));
  await new Promise((r) => c.on('connect', r));
  // SYNs from 200 made-up hosts on the link: b's SYN-ACKs wait for ARP replies that never come.
  const route = a.route(ip('192.168.7.2'));
  for (let n = 0; n < FLOOD; n++) {
    const src = ip(`192.168.7.${10 + (n % 200)}`);
    const seg = buildSegment({ srcPort: 1024 + n, dstPort: 80, seq: n * 7919, ack: 0, flags: SYN, window: 65535, mss: 1460 }, src, ip('192.168.7.2'));
    a.sendIp({ src, dst: ip('192.168.7.2'), protocol: PROTO_TCP, payload: seg, route });
    if (n % 500 === 0) { c.write(Uint8Array.of(n & 0xff)); await new Promise((r) => setImmediate(r)); }
  }
  await until(() => b.tcp.stats.segmentsIn >= FLOOD, 'the flood to arrive');
  const halfOpen = b.tcp.sockets.filter((s) => s.state === 'SYN_RECEIVED').length;
  assertEqual(halfOpen, HALF_OPEN_MAX, 'half-open connections');
  assertEqual(b.tcp.stats.synCookiesSent, FLOOD - HALF_OPEN_MAX, 'SYNs answered with a cookie');
  // A new connection during the flood: no room for its state, so it is made from its cookie.
  const late = a.tcp.connect(ip('192.168.7.2'), 80);
  const lateEcho = [];
  late.on('data', (d) => lateEcho.push(...d));
  await new Promise((r) => late.on('connect', r));
  late.write(Uint8Array.of(7, 8, 9));
  await until(() => lateEcho.length === 3, 'the echo on the connection made from a cookie');
  assertEqual([lateEcho, b.tcp.stats.synCookiesAccepted], [[7, 8, 9], 1]);
  late.end();
  // Handshakes that complete on a port nobody accepts from: at most the backlog wait.
  const waiting = [];
  for (let i = 0; i < BACKLOG + 4; i++) waiting.push(a.tcp.connect(ip('192.168.7.2'), 81));
  await until(() => unaccepted.stats.accepted + unaccepted.stats.backlogFull >= BACKLOG + 1, 'the backlog to fill');
  assertEqual(unaccepted.stats.accepted, BACKLOG, 'connections queued for accept');
  // The established connection still works, and so does the host.
  c.write(Uint8Array.of(42));
  await until(() => echoed.includes(42), 'the echo during the flood');
  assertEqual(formatIPv4((await a.icmp.ping(ip('192.168.7.2'))).from), '192.168.7.2');
  c.end();
  for (const w of waiting) w.destroy();
  unaccepted.close();
  console.log(`syn flood: ${FLOOD} SYNs, ${halfOpen} half-open kept, ${b.tcp.stats.synCookiesSent} answered with cookies (${b.tcp.stats.synCookiesAccepted} came back); backlog ${unaccepted.stats.accepted} queued, ${unaccepted.stats.backlogFull} refused`);
});

