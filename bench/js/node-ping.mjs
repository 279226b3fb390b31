// The peer of ipc-roundtrip.js: Node worker_threads MessagePort ping-pong between the main
// thread and one worker, one message at a time, then with many in flight. Same output.
import { Worker, MessageChannel } from 'node:worker_threads';

const calls = Number(process.argv[2] || 20000);
const { port1, port2 } = new MessageChannel();
const worker = new Worker(`
  const { workerData } = require('node:worker_threads');
  workerData.port.on('message', (x) => workerData.port.postMessage(x + 1));
`, { eval: true, workerData: { port: port2 }, transferList: [port2] });

let waiting = new Map();
port1.on('message', (x) => { const r = waiting.get(x - 1); waiting.delete(x - 1); r(x); });
const ping = (x) => new Promise((resolve) => { waiting.set(x, resolve); port1.postMessage(x); });

for (let i = 0; i < 2000; i++) await ping(i);
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
port1.close();
await worker.terminate();
