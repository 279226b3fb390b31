// The peer of ipc-roundtrip.js: Node worker_threads MessagePort ping-pong between the main
// thread and one worker, one message at a time, then with many in flight. Same arguments
// (calls, unused, 'number' | 'object') and output.
import { Worker, MessageChannel } from 'node:worker_threads';
import { message, pingRates } from './ping-rates.js';

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
const ping = (x) => new Promise((resolve) => {
  waiting.set(x, resolve);
  port1.postMessage(objects ? message(x) : x);
});

await pingRates(ping, calls);
port1.close();
await worker.terminate();
