// The peer of ipc-roundtrip.js: Node worker_threads MessagePort ping-pong between the main
// thread and one worker, one message at a time, then with many in flight. Same arguments
// (calls, unused, 'number' | 'object') and output.
import { Worker, MessageChannel } from 'node:worker_threads';

const calls = Number(process.argv[2] || 20000);
const objects = process.argv[4] === 'object';
const { port1, port2 } = new MessageChannel();
const worker = new Worker(`
  const { workerData } = require('node:worker_threads');
  workerData.port.on('message', (x) => workerData.port.postMessage(typeof x === 'number' ? x + 1 : x));
`, { eval: true, workerData: { port: port2 }, transferList: [port2] });

const waiting = new Map();
port1.on('message', (x) => {
  const id = typeof x === 'number' ? x - 1 : x.id;
  const r = waiting.get(id);
  waiting.delete(id);
  r(x);
});
const message = (i) => ({ id: i, op: 'get', key: `user:${i % 100}`, tags: ['a', 'b', 'c'], at: 1764547200000 + i });
const ping = (x) => new Promise((resolve) => {
  waiting.set(x, resolve);
  port1.postMessage(objects ? message(x) : x);
});

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
