// The peer of spawn.js: time from `new Worker()` to the worker's first statement, read with
// the process-wide monotonic clock, RUNS workers one after another. Prints the median in ms.
import { Worker } from 'node:worker_threads';

const runs = Number(process.argv[2] || 21);
const code = 'const t = process.hrtime.bigint(); require("node:worker_threads").parentPort.postMessage(t);';
const times = [];
for (let i = 0; i < runs; i++) {
  const t0 = process.hrtime.bigint();
  const worker = new Worker(code, { eval: true });
  const t = await new Promise((resolve) => worker.once('message', resolve));
  times.push(Number(t - t0) / 1e6);
  await new Promise((resolve) => worker.once('exit', resolve));
}
times.sort((a, b) => a - b);
console.log(`median ${times[times.length >> 1].toFixed(3)}`);
console.log(`min ${times[0].toFixed(3)}`);
