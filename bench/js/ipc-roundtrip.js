// Remote-call round trips between two apps on different CPUs: init (CPU 0) calls a
// function of a service on CPU 1, one call at a time, then with many calls in flight.
// argv: calls, the service's CPU, and the message: 'number' (a primitive, answered with
// x + 1) or 'object' (a small record { id, op, key, tags[], at }, answered with itself).
// Prints "sequential <calls per second>" and "pipelined <calls per second>".
const calls = Number(rt.argv[0] || 20000);
const wanted = rt.argv[1] === undefined ? 1 : Number(rt.argv[1]);
const objects = rt.argv[2] === 'object';
const service = { source: 'rt.export({ ping: (x) => x + 1, echo: (m) => m });' };
let h;
try {
  h = rt.spawn(service, { name: 'pong', cpu: wanted });
} catch { // a machine with one CPU: both apps on it
  h = rt.spawn(service, { name: 'pong', cpu: 0 });
}
const { ping: pingNumber, echo } = await h.interface;
const message = (i) => ({ id: i, op: 'get', key: `user:${i % 100}`, tags: ['a', 'b', 'c'], at: 1764547200000 + i });
const ping = objects ? (i) => echo(message(i)) : pingNumber;

for (let i = 0; i < 2000; i++) await ping(i); // warm up both sides' JIT
let t0 = performance.now();
for (let i = 0; i < calls; i++) await ping(i);
const sequential = calls / ((performance.now() - t0) / 1000);

const window = 64;
t0 = performance.now();
for (let i = 0; i < calls; i += window) {
  const batch = [];
  for (let j = 0; j < window; j++) batch.push(ping(i + j));
  await Promise.all(batch);
}
const pipelined = calls / ((performance.now() - t0) / 1000);
console.log(`sequential ${sequential.toFixed(0)}`);
console.log(`pipelined ${pipelined.toFixed(0)}`);
rt.exit(0);
