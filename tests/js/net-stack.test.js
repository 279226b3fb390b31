// The network stack between two hosts on a simulated cable (tests/js/fixtures/net-wire.js):
// ARP, ICMP, UDP, fragmentation, TCP's handshake, transfer, half-close, reset and refusal,
// then TCP through a faulty cable (loss, duplication, reordering, corruption), the loopback
// interface, and a flood of malformed frames.
import { test, assertEqual, assertMatch } from './harness.js';
import { NetStack } from '../../js/services/net/stack.js';
import { parseIPv4 as ip, formatIPv4 } from '../../js/services/net/addr.js';
import { cable, seeded } from './fixtures/net-wire.js';
import { partialSum, finish } from '../../js/services/net/checksum.js';

// The frame fuzzer's size and seed: CI runs 30,000 frames; by hand, e.g.
//   rtjs-sim --headless net-stack.test.js 1000000 12345
const FUZZ_FRAMES = Number(globalThis.rt?.argv?.[0] ?? 30000);
const FUZZ_SEED = Number(globalThis.rt?.argv?.[1] ?? 0xf022);
const HEAP_BOUND = 64 * 1048576;   // the stack's own limits keep it far below this

function pair(faults) {
  const [na, nb, counters] = cable(faults);
  const a = new NetStack(), b = new NetStack();
  a.addEthernet('eth0', na); b.addEthernet('eth0', nb);
  a.configure('eth0', { address: '192.168.7.1', prefix: 24 });
  b.configure('eth0', { address: '192.168.7.2', prefix: 24 });
  return { a, b, counters };
}

const until = async (cond, what, ms = 60000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`${what}: did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

function pattern(n, seed) {
  const r = seeded(seed);
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (r() * 256) | 0;
  return b;
}

// FNV-1a over the bytes: the receiver's digest must equal the sender's.
function digest(chunks) {
  let h = 0x811c9dc5, n = 0;
  for (const c of chunks) for (let i = 0; i < c.length; i++) { h = Math.imul(h ^ c[i], 0x01000193); n++; }
  return `${n}:${(h >>> 0).toString(16)}`;
}

test('the Internet checksum summed 32 bits at a time equals the sum of 16-bit words, at every alignment and length', () => {
  const bytePairs = (b, start, end, sum) => {
    for (let i = start; i + 1 < end; i += 2) sum += (b[i] << 8) | b[i + 1];
    if ((end - start) & 1) sum += b[end - 1] << 8;
    return finish(sum);
  };
  const all = pattern(80000, 7);
  all.fill(0xff, 1000, 75000);   // all-ones words: the most carries
  let cases = 0;
  // Every start alignment, every length to 300, then larger ones (and a loopback-sized one).
  const lengths = [];
  for (let len = 0; len < 9000; len += len < 300 ? 1 : 331) lengths.push(len);
  lengths.push(65535);
  for (let off = 0; off < 4; off++) {
    for (const len of lengths) {
      const v = new Uint8Array(all.buffer, 500 + off, len);
      for (let start = 0; start < 4 && start <= len; start++) {
        cases++;
        const wide = finish(partialSum(v, start, len, 12345)), narrow = bytePairs(v, start, len, 12345);
        if (wide !== narrow) throw new Error(`offset ${off}, length ${len}, from ${start}: ${wide} against ${narrow}`);
      }
    }
  }
  assertEqual(cases > 5000, true);
});

test('ARP resolves the neighbour and ping answers', async () => {
  const { a, b } = pair();
  const r = await a.icmp.ping(ip('192.168.7.2'));
  assertEqual([formatIPv4(r.from), r.bytes], ['192.168.7.2', 56]);
  assertEqual(a.interfaces().find((i) => i.name === 'eth0').arp.map((e) => [e.ip, e.mac]), [['192.168.7.2', '02:00:00:00:00:02']]);
  assertEqual(b.icmp.stats.echoRequestsIn, 1);
});

test('ping of an address nobody has fails with EHOSTUNREACH after the ARP tries', async () => {
  const { a } = pair();
  let err = null;
  try { await a.icmp.ping(ip('192.168.7.99'), { timeoutMs: 10000 }); } catch (e) { err = e; }
  assertEqual(err?.code, 'EHOSTUNREACH');
  assertMatch(err.message, /192\.168\.7\.99/);
});

test('UDP: a datagram both ways; a closed port answers port unreachable (ECONNREFUSED)', async () => {
  const { a, b } = pair();
  const server = b.udp.bind(5353);
  server.onMessage((d, rinfo) => server.send(d.map((x) => x + 1), rinfo.port, ip(rinfo.address)));
  const client = a.udp.bind(0);
  const got = [];
  client.onMessage((d, rinfo) => got.push([Array.from(d), rinfo.address, rinfo.port]));
  client.send(Uint8Array.of(1, 2, 3), 5353, ip('192.168.7.2'));
  await until(() => got.length === 1, 'the echo');
  assertEqual(got[0], [[2, 3, 4], '192.168.7.2', 5353]);
  let refused = null;
  client.onError((e) => { refused = e; });
  client.send(Uint8Array.of(9), 5354, ip('192.168.7.2'));
  await until(() => refused, 'the ICMP port unreachable');
  assertEqual([refused.code, refused.port], ['ECONNREFUSED', 5354]);
});

test('a 20,000-byte datagram is fragmented on send and reassembled on receive', async () => {
  const { a, b } = pair();
  const server = b.udp.bind(9000);
  let got = null;
  server.onMessage((d) => { got = d; });
  const data = pattern(20000, 7);
  a.udp.bind(0).send(data, 9000, ip('192.168.7.2'));
  await until(() => got, 'the datagram');
  assertEqual(digest([got]), digest([data]));
  assertEqual([a.counters().ip.fragmentsOut, b.counters().ip.reassembly.reassembled], [14, 1]);
});

test('TCP: handshake, 300 KB each way, half-close, and both sides closed', async () => {
  const { a, b } = pair();
  const listener = b.tcp.listen(8080);
  const server = { chunks: [], ended: false, closed: false };
  listener.onConnection((c) => {
    c.on('data', (d) => { server.chunks.push(d); c.write(d); });   // echo
    c.on('end', () => { server.ended = true; c.end(); });
    c.on('close', () => { server.closed = true; });
  });
  const c = a.tcp.connect(ip('192.168.7.2'), 8080);
  const client = { chunks: [], connected: false, ended: false, closed: false };
  c.on('connect', () => { client.connected = true; });
  c.on('data', (d) => client.chunks.push(d));
  c.on('end', () => { client.ended = true; });
  c.on('close', () => { client.closed = true; });
  await until(() => client.connected, 'connect');
  const data = pattern(300 * 1024, 3);
  for (let at = 0; at < data.length; at += 10000) c.write(data.subarray(at, at + 10000));
  c.end();
  await until(() => client.closed && server.closed, 'both closed');
  assertEqual([digest(server.chunks), digest(client.chunks)], [digest([data]), digest([data])]);
  assertEqual([server.ended, client.ended, c.state], [true, true, 'TIME_WAIT']);
  assertEqual(b.tcp.connectionCount, 0, 'the passive closer keeps nothing');
});

// A link in the middle that takes at most 1000-byte packets: a too large one with DF set is
// dropped and answered with fragmentation needed (RFC 1191 4), as a router would.
test('path MTU discovery: fragmentation needed shrinks the segments, every byte still arrives; a forged message changes nothing', async () => {
  const [na, nb] = cable();
  const a = new NetStack(), b = new NetStack();
  const LINK_MTU = 1000;
  let tooBig = 0, largestAfter = 0, told = false;
  const icmpFragNeeded = (packet, mtu) => {
    const quoted = packet.subarray(0, 28);
    const m = new Uint8Array(8 + quoted.length);
    m[0] = 3; m[1] = 4; m[6] = mtu >> 8; m[7] = mtu & 0xff;
    m.set(quoted, 8);
    let sum = 0;
    for (let i = 0; i < m.length; i += 2) sum += (m[i] << 8) | (m[i + 1] ?? 0);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    m[2] = (~sum >> 8) & 0xff; m[3] = ~sum & 0xff;
    return m;
  };
  a.addEthernet('eth0', { mac: na.mac, onFrame: (fn, o) => na.onFrame(fn, o), send(f) {
    const packet = f.subarray(14);
    if (packet.length > LINK_MTU && (packet[6] & 0x40)) {
      tooBig++;
      told = true;
      b.sendIp({ src: ip('192.168.7.2'), dst: ip('192.168.7.1'), protocol: 1, payload: icmpFragNeeded(packet, LINK_MTU) });
      return true;
    }
    if (told) largestAfter = Math.max(largestAfter, packet.length);
    return na.send(f);
  } });
  b.addEthernet('eth0', nb);
  a.configure('eth0', { address: '192.168.7.1', prefix: 24 });
  b.configure('eth0', { address: '192.168.7.2', prefix: 24 });
  const got = [];
  let ended = false;
  b.tcp.listen(8080).onConnection((c) => { c.on('data', (d) => got.push(d)); c.on('end', () => { ended = true; c.end(); }); });
  const c = a.tcp.connect(ip('192.168.7.2'), 8080);
  await new Promise((r) => c.on('connect', r));
  // Forged: it quotes a sequence number the connection has not sent.
  const forged = new Uint8Array(28);
  forged[0] = 0x45; forged[9] = 6;
  forged.set([192, 168, 7, 1], 12); forged.set([192, 168, 7, 2], 16);
  forged[20] = c.localPort >> 8; forged[21] = c.localPort & 0xff; forged[22] = 8080 >> 8; forged[23] = 8080 & 0xff;
  forged.set([0x12, 0x34, 0x56, 0x78], 24);
  b.sendIp({ src: ip('192.168.7.2'), dst: ip('192.168.7.1'), protocol: 1, payload: icmpFragNeeded(forged, 600) });
  await until(() => a.counters().icmp.unreachableIn === 1, 'the forged message');
  assertEqual([a.tcp.stats.pmtuShrinks, a.pathMtu(ip('192.168.7.2'))], [0, 1500], 'after the forged message');
  const data = pattern(100 * 1024, 9);
  c.write(data);
  c.end();
  await until(() => ended, 'the data through the smaller link');
  assertEqual(digest(got), digest([data]));
  assertEqual([a.tcp.stats.pmtuShrinks, a.pathMtu(ip('192.168.7.2'))], [1, LINK_MTU]);
  assertEqual(largestAfter <= LINK_MTU, true, `a ${largestAfter}-byte packet after the path MTU was learnt`);
  assertEqual(tooBig <= 10, true, `${tooBig} packets too large`);
});

test('TCP: a closed port refuses (ECONNREFUSED), and destroy() resets the peer (ECONNRESET)', async () => {
  const { a, b } = pair();
  let refused = null;
  a.tcp.connect(ip('192.168.7.2'), 81).on('error', (e) => { refused = e; });
  await until(() => refused, 'the refusal');
  assertEqual([refused.code, refused.address, refused.port], ['ECONNREFUSED', '192.168.7.2', 81]);
  let reset = null;
  b.tcp.listen(82).onConnection((c) => c.destroy());
  const c = a.tcp.connect(ip('192.168.7.2'), 82);
  c.on('error', (e) => { reset = e; });
  await until(() => reset, 'the reset');
  assertEqual(reset.code, 'ECONNRESET');
  assertEqual([a.tcp.connectionCount, b.tcp.connectionCount], [0, 0]);
});

test('TCP: close() is close(2): a FIN when all was read; a RST when received data is unread or data comes after it (RFC 1122 4.2.2.13)', async () => {
  const { a, b } = pair();
  // Nothing unread: the peer reads the reply, then its end; no error on either side.
  b.tcp.listen(83).onConnection((c) => c.on('data', () => { c.write(new TextEncoder().encode('bye')); c.close(); }));
  const c1 = a.tcp.connect(ip('192.168.7.2'), 83);
  let got = '', ended = false, err1 = null;
  c1.on('connect', () => c1.write(new TextEncoder().encode('hi')));
  c1.on('data', (d) => { got += new TextDecoder().decode(d); });
  c1.on('end', () => { ended = true; c1.end(); });
  c1.on('error', (e) => { err1 = e; });
  await until(() => ended, 'the end after close()');
  assertEqual([got, err1], ['bye', null]);
  // Data arrived that the user never read (paused): the close resets.
  let paused = null;
  b.tcp.listen(84).onConnection((c) => { c.pause(); paused = c; });
  const c2 = a.tcp.connect(ip('192.168.7.2'), 84);
  let err2 = null, end2 = false;
  c2.on('connect', () => c2.write(new Uint8Array(100)));
  c2.on('end', () => { end2 = true; });
  c2.on('error', (e) => { err2 = e; });
  await until(() => paused && paused.bytesRead === 100, 'the unread data');
  paused.close();
  await until(() => err2, 'the reset for unread data');
  assertEqual([err2.code, end2], ['ECONNRESET', false]);
  // Data sent after the peer closed: the closed side resets, having nobody to give it to.
  b.tcp.listen(85).onConnection((c) => c.close());
  const c3 = a.tcp.connect(ip('192.168.7.2'), 85);
  let err3 = null, end3 = false;
  c3.on('end', () => { end3 = true; c3.write(new Uint8Array(10)); });
  c3.on('error', (e) => { err3 = e; });
  await until(() => err3, 'the reset for data after close()');
  assertEqual([err3.code, end3], ['ECONNRESET', true]);
});

test('TCP over a faulty cable (5% loss, 1% duplicates, 2% reordered, 1% corrupted): every byte, in order', async () => {
  const seed = 0x5eed;
  const { a, b, counters } = pair({ drop: 0.05, dup: 0.01, reorder: 0.02, corrupt: 0.01, seed });
  const received = [];
  let serverClosed = false;
  b.tcp.listen(7000).onConnection((c) => {
    c.on('data', (d) => received.push(d));
    c.on('end', () => c.end());
    c.on('close', () => { serverClosed = true; });
  });
  const c = a.tcp.connect(ip('192.168.7.2'), 7000);
  let closed = false, error = null;
  c.on('close', () => { closed = true; });
  c.on('error', (e) => { error = e; });
  const data = pattern(200 * 1024, 11);
  c.write(data);
  c.end();
  await until(() => (closed && serverClosed) || error, `transfer (seed ${seed})`, 120000);
  assertEqual(error, null, `seed ${seed}`);
  assertEqual(digest(received), digest([data]), `seed ${seed}`);
  assertEqual(counters.dropped > 0 && counters.corrupted > 0 && counters.reordered > 0, true, JSON.stringify(counters));
  assertEqual(a.tcp.stats.retransmits > 0, true);
  console.log(`faulty cable: ${JSON.stringify(counters)}; sender ${JSON.stringify({ retransmits: a.tcp.stats.retransmits, fast: a.tcp.stats.fastRetransmits, timeouts: a.tcp.stats.timeouts })}; receiver dropped ${b.counters().tcp.badSegments} bad segments`);
});

// A one-way transfer from a to b through `faults`; the sender's TCP counters and whether
// SACK was agreed. `sack`: whether the stacks offer it; `rtoMin`: the sender's retransmission
// timer floor, when not the stack's own.
async function oneWay(faults, bytes, sack, rtoMin) {
  const { a, b, counters } = pair(faults);
  a.tcp.sack = sack; b.tcp.sack = sack;
  if (rtoMin !== undefined) a.tcp.rtoMin = rtoMin;
  const received = [];
  let serverClosed = false;
  b.tcp.listen(7001).onConnection((c) => {
    c.on('data', (d) => received.push(d));
    c.on('end', () => c.end());
    c.on('close', () => { serverClosed = true; });
  });
  const c = a.tcp.connect(ip('192.168.7.2'), 7001);
  let closed = false, error = null, agreed = null;
  c.on('connect', () => { agreed = c.info.sack; });
  c.on('close', () => { closed = true; });
  c.on('error', (e) => { error = e; });
  const data = pattern(bytes, 5);
  const t0 = performance.now();
  c.write(data);
  c.end();
  await until(() => (closed && serverClosed) || error, `transfer (${JSON.stringify({ ...faults, lose: !!faults.lose, sack })})`, 120000);
  assertEqual(error, null);
  assertEqual(digest(received), digest([data]));
  const { retransmits, retransmittedBytes, fastRetransmits, timeouts } = a.tcp.stats;
  return { sack: agreed, retransmits, retransmittedBytes, fastRetransmits, timeouts, dropped: counters.dropped, ms: Math.round(performance.now() - t0) };
}

// The first transmission of the data segments a sends with the given ordinals (1-based, in
// sequence order) is lost; retransmissions pass.
function loseSegments(ordinals) {
  const seen = new Set();
  return (f, from) => {
    if (from !== 0 || f[23] !== 6) return false;        // a's IPv4/TCP frames (Ethernet 14 + IP protocol at 9)
    const ihl = (f[14] & 0x0f) * 4, tcp = 14 + ihl;
    const payload = ((f[16] << 8) | f[17]) - ihl - (f[tcp + 12] >>> 4) * 4;
    const seq = ((f[tcp + 4] << 24) | (f[tcp + 5] << 16) | (f[tcp + 6] << 8) | f[tcp + 7]) >>> 0;
    if (payload === 0 || seen.has(seq)) return false;
    seen.add(seq);
    return ordinals.includes(seen.size);
  };
}

// The sender's timer floor is far above a round trip here: the stacks share one thread, and
// when the host stalls it past 200 ms an acknowledgement queued behind the stall comes after
// the timer, a timeout the test would count against SACK (seen on a loaded machine). A
// recovery that needs the timer still shows as one, 20 s later, inside the hang guard.
const SACK_TEST_RTO_MIN = 20000;

test('SACK: three segments lost from one window are sent again, exactly those, without a timeout', async () => {
  const lost = [12, 15, 18];
  const sack = await oneWay({ lose: loseSegments(lost) }, 300 * 1024, true, SACK_TEST_RTO_MIN);
  const newReno = await oneWay({ lose: loseSegments(lost) }, 300 * 1024, false);
  console.log(`3 segments lost from one window: SACK ${JSON.stringify(sack)}; NewReno ${JSON.stringify(newReno)}`);
  assertEqual([sack.sack, newReno.sack], [true, false], 'SACK agreed only when both offer it');
  assertEqual([sack.dropped, sack.retransmits, sack.fastRetransmits, sack.timeouts], [3, 3, 1, 0], JSON.stringify(sack));
});

// Both resend about what was lost (the receiver holds out-of-order data either way); NewReno
// learns of one hole per round trip and so falls back on the retransmission timer far more.
test('SACK through 5% loss: fewer retransmission timeouts than NewReno alone, every byte in order', async () => {
  const result = { sack: [], newReno: [] };
  for (const seed of [0x51, 0x52, 0x53]) {
    result.sack.push(await oneWay({ drop: 0.05, seed }, 512 * 1024, true));
    result.newReno.push(await oneWay({ drop: 0.05, seed }, 512 * 1024, false));
  }
  const total = (list, k) => list.reduce((n, r) => n + r[k], 0);
  const line = (list) => `${total(list, 'timeouts')} timeouts, ${total(list, 'retransmittedBytes')} bytes sent again in ${total(list, 'retransmits')} segments, ${total(list, 'dropped')} frames lost, ${total(list, 'ms')} ms`;
  console.log(`5% loss, 3 x 512 KB: SACK ${line(result.sack)}; NewReno ${line(result.newReno)}`);
  assertEqual(total(result.sack, 'timeouts') < total(result.newReno, 'timeouts'), true, `SACK ${line(result.sack)}; NewReno ${line(result.newReno)}`);
});

test('loopback: TCP and UDP between sockets of one host', async () => {
  const s = new NetStack();
  const got = [];
  s.tcp.listen(9999).onConnection((c) => c.on('data', (d) => { got.push(new TextDecoder().decode(d)); c.end(); }));
  const c = s.tcp.connect(ip('127.0.0.1'), 9999);
  c.on('connect', () => c.write(new TextEncoder().encode('over lo')));
  let closed = false;
  c.on('end', () => c.end());
  c.on('close', () => { closed = true; });
  await until(() => closed, 'loopback close');
  assertEqual(got, ['over lo']);
  const u = s.udp.bind(4000);
  let d = null;
  u.onMessage((x) => { d = Array.from(x); });
  s.udp.bind(0).send(Uint8Array.of(4, 2), 4000, ip('127.0.0.1'));
  await until(() => d, 'loopback datagram');
  assertEqual(d, [4, 2]);
});

test(`${FUZZ_FRAMES} malformed and mutated frames: no exception, the stack still answers, memory bounded`, async () => {
  const { a, b } = pair();
  // A second interface of b, on a cable to a probe host whose valid traffic (ARP, a TCP
  // handshake and data, a fragmented UDP datagram, a ping) is recorded to be mutated.
  const [pn, bn] = cable({ firstMac: 8 });
  let inject = null;
  b.addEthernet('eth1', { mac: bn.mac, send: (f) => bn.send(f), onFrame(fn, o) { inject = fn; bn.onFrame(fn, o); } });
  b.configure('eth1', { address: '192.168.8.2', prefix: 24 });
  b.tcp.listen(80).onConnection((c) => c.on('data', () => c.end()));
  const samples = [];
  const probe = new NetStack();
  probe.addEthernet('eth0', { mac: pn.mac, send: (f) => { samples.push(f.slice()); return pn.send(f); }, onFrame: (fn, o) => pn.onFrame(fn, o) });
  probe.configure('eth0', { address: '192.168.8.3', prefix: 24 });
  const c = probe.tcp.connect(ip('192.168.8.2'), 80);
  c.on('connect', () => c.write(pattern(100, 2)));
  c.on('end', () => c.end());
  probe.udp.bind(0).send(pattern(3000, 1), 53, ip('192.168.8.2'));
  await probe.icmp.ping(ip('192.168.8.2'));
  await until(() => c.state === 'CLOSED' || c.state === 'TIME_WAIT', 'the probe connection to end');
  const seed = FUZZ_SEED;
  const r = seeded(seed);
  const frames = FUZZ_FRAMES;
  let heapMax = 0;
  for (let n = 0; n < frames; n++) {
    if (n % 50000 === 0) heapMax = Math.max(heapMax, process.memoryUsage().heapUsed);
    if (n % 2000 === 0) await new Promise((res) => setTimeout(res, 0));   // one task per batch
    const base = samples[(r() * samples.length) | 0];
    let f = base.slice();
    const kind = r();
    if (kind < 0.3) f = f.subarray(0, Math.max(6, (r() * f.length) | 0));          // truncated
    const flips = 1 + ((r() * 4) | 0);
    for (let i = 14; i < 14 + flips && f.length > 14; i++) f[14 + ((r() * (f.length - 14)) | 0)] = (r() * 256) | 0;  // mutated bytes
    if (kind > 0.9) f = Uint8Array.from({ length: 6 + ((r() * 200) | 0) }, () => (r() * 256) | 0);  // garbage
    f.set([0x02, 0, 0, 0, 0, 0x09], 0);
    try { inject(f.buffer); } catch (e) { throw new Error(`frame ${n} (seed ${seed}) threw ${e.stack}`); }
  }
  const r2 = await a.icmp.ping(ip('192.168.7.2'));
  assertEqual(formatIPv4(r2.from), '192.168.7.2');
  const ipStats = b.counters().ip;
  assertEqual(ipStats.ipIn + ipStats.ipBadHeader > frames / 2, true, `most mutated frames reached IP: ${JSON.stringify(ipStats)}`);
  assertEqual(heapMax < HEAP_BOUND, true, `heap reached ${(heapMax / 1048576).toFixed(1)} MB (seed ${seed})`);
  console.log(`fuzz (seed ${seed}): ${frames} frames, heap at most ${(heapMax / 1048576).toFixed(1)} MB, ${samples.length} samples, ${JSON.stringify({ ip: ipStats, tcp: b.counters().tcp, udp: b.counters().udp, icmp: b.counters().icmp })}`);
});
