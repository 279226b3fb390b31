// Moving an ArrayBuffer between two apps: a buffer goes to a service on another CPU and
// comes back, transferred both ways, ROUNDS times; then the same with a copy, there only and
// there and back (bench/js/node-transfer.mjs is Node's peer of the transfers and the copies
// there and back). Prints "<bytes> transfer <ms per round trip>", "<bytes> copy <ms>" and
// "<bytes> copyback <ms per round trip>".
const rounds = Number(rt.argv[0] || 50);
const sizes = [4096, 64 << 20];
// Copies: 60 MiB, under the 64 MiB one message between apps may carry with its framing.
const copySize = 60 << 20;
const service = { source: 'rt.export({ back: (buffer) => rt.transfer(buffer), copy: (buffer) => buffer.byteLength, echo: (buffer) => buffer });' };
let h;
try {
  h = rt.spawn(service, { name: 'bounce', cpu: 1 });
} catch { // one CPU only
  h = rt.spawn(service, { name: 'bounce', cpu: 0 });
}
const svc = await h.interface;

// There and back `n` times (after up to 20 to warm up), by `trip(buffer)`; ms per round trip.
async function bounce(size, n, trip) {
  let buffer = new ArrayBuffer(size);
  new Uint8Array(buffer).fill(1); // touch every page: the memory is real
  for (let i = 0; i < Math.min(n, 20); i++) buffer = await trip(buffer); // warm up
  const t0 = performance.now();
  for (let i = 0; i < n; i++) buffer = await trip(buffer);
  const ms = (performance.now() - t0) / n;
  if (buffer.byteLength !== size || new Uint8Array(buffer)[size - 1] !== 1) throw new Error('the buffer did not come back whole');
  return ms;
}

async function copy(size, n) {
  const buffer = new ArrayBuffer(size);
  new Uint8Array(buffer).fill(1);
  await svc.copy(buffer);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await svc.copy(buffer);
  return (performance.now() - t0) / n;
}

const moved = (buffer) => svc.back(rt.transfer(buffer));
for (const size of sizes) console.log(`${size} transfer ${(await bounce(size, rounds, moved)).toFixed(4)}`);
console.log(`${copySize} copy ${(await copy(copySize, Math.max(3, rounds / 10))).toFixed(4)}`);
console.log(`${copySize} copyback ${(await bounce(copySize, Math.max(3, rounds / 10), svc.echo)).toFixed(4)}`);
rt.exit(0);
