// The stack's clock: performance.now() read once per task and kept until the task's
// microtasks run. A batch of frames from the driver is one task, and every segment in it
// (timestamps, round-trip samples, timer deadlines, ARP freshness) would otherwise read the
// clock several times; each read is a call out of the engine, which in the guest costs
// several hundred instructions. The value is at most one task old, as Linux's per-softirq
// TCP clock (tcp_mstamp) is.
let cached = -1;
const forget = () => { cached = -1; };

/** Milliseconds (performance.now()), as of the start of this task's work. */
export function now() {
  if (cached < 0) {
    cached = performance.now();
    queueMicrotask(forget);
  }
  return cached;
}
