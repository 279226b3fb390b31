// 10,000 TCP connections opened, used and closed in a loop over the loopback interface leave
// nothing behind: no connection in the stack's table, no timer pending (every setTimeout the
// stack made has fired or been cleared), and a heap that does not grow with the count.
import { test, assertEqual } from './harness.js';
import { NetStack } from '../../js/services/net/stack.js';
import { parseIPv4 as ip } from '../../js/services/net/addr.js';

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
