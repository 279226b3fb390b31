// The measurement ipc-roundtrip.js (rtjs apps) and node-ping.mjs (Node's MessagePort) share,
// so that both sides time the same thing: `ping(i)` is one round trip, resolving when the
// answer is back. Prints "sequential <calls per second>" (one call at a time) and
// "pipelined <calls per second>" (64 in flight).

/** The 'object' message: a small record, as a key-value service would get. */
export const message = (i) => ({ id: i, op: 'get', key: `user:${i % 100}`, tags: ['a', 'b', 'c'], at: 1764547200000 + i });

const WARM_UP = 2000; // calls before timing, so both sides' JIT has compiled the path
const WINDOW = 64; // calls in flight when pipelined

export async function pingRates(ping, calls) {
  for (let i = 0; i < WARM_UP; i++) await ping(i);
  let t0 = performance.now();
  for (let i = 0; i < calls; i++) await ping(i);
  const sequential = calls / ((performance.now() - t0) / 1000);

  t0 = performance.now();
  for (let i = 0; i < calls; i += WINDOW) {
    const batch = [];
    for (let j = 0; j < WINDOW; j++) batch.push(ping(i + j));
    await Promise.all(batch);
  }
  const pipelined = calls / ((performance.now() - t0) / 1000);
  console.log(`sequential ${sequential.toFixed(0)}`);
  console.log(`pipelined ${pipelined.toFixed(0)}`);
}
