// Node's peer of bench/js/transfer.js: a buffer goes to a worker thread and back over its
// MessagePort, ROUNDS times, transferred both ways and copied both ways. Prints
// "<bytes> transfer <ms per round trip>" and "<bytes> copyback <ms per round trip>".
import { Worker } from 'node:worker_threads';

const rounds = Number(process.argv[2] || 50);
const sizes = [4096, 64 << 20];
// Copies: 60 MiB, under the 64 MiB one message between apps may carry with its framing.
const copySize = 60 << 20;
const worker = new Worker(`
  const { parentPort } = require('node:worker_threads');
  parentPort.on('message', ({ buffer, transfer }) => parentPort.postMessage(buffer, transfer ? [buffer] : []));
`, { eval: true });

function trip(buffer, transfer) {
  return new Promise((resolve) => {
    worker.once('message', resolve);
    worker.postMessage({ buffer, transfer }, transfer ? [buffer] : []);
  });
}

async function run(size, n, transfer) {
  let buffer = new ArrayBuffer(size);
  new Uint8Array(buffer).fill(1);
  for (let i = 0; i < Math.min(n, 20); i++) buffer = await trip(buffer, transfer); // warm up
  const t0 = performance.now();
  for (let i = 0; i < n; i++) buffer = await trip(buffer, transfer);
  const ms = (performance.now() - t0) / n;
  if (buffer.byteLength !== size || new Uint8Array(buffer)[size - 1] !== 1) throw new Error('the buffer did not come back whole');
  return ms;
}

for (const size of sizes) console.log(`${size} transfer ${(await run(size, rounds, true)).toFixed(4)}`);
console.log(`${copySize} copyback ${(await run(copySize, Math.max(3, rounds / 10), false)).toFixed(4)}`);
await worker.terminate();
