// Remote-call round trips between two apps on different CPUs: init (CPU 0) calls a
// function of a service on CPU 1, one call at a time, then with many calls in flight.
// argv: calls, the service's CPU, and the message: 'number' (a primitive, answered with
// x + 1) or 'object' (a small record { id, op, key, tags[], at }, answered with itself).
// Prints "sequential <calls per second>" and "pipelined <calls per second>".
import { message, pingRates } from './ping-rates.js';

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
await pingRates(objects ? (i) => echo(message(i)) : pingNumber, calls);
rt.exit(0);
