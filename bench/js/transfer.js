// Moving an ArrayBuffer between two apps: a buffer goes to a service on another CPU and
// comes back, transferred both ways, ROUNDS times; then the same with a copy. Prints
// "<bytes> transfer <ms per round trip>" and "<bytes> copy <ms per round trip>".
const rounds = Number(rt.argv[0] || 50);
const sizes = [4096, 64 << 20];
const service = { source: 'rt.export({ back: (buffer) => rt.transfer(buffer), copy: (buffer) => buffer.byteLength });' };
let h;
try {
  h = rt.spawn(service, { name: 'bounce', cpu: 1 });
} catch { // one CPU only
  h = rt.spawn(service, { name: 'bounce', cpu: 0 });
}
const svc = await h.interface;

async function bounce(size, n) {
  let buffer = new ArrayBuffer(size);
  new Uint8Array(buffer).fill(1); // touch every page: the memory is real
  for (let i = 0; i < 20; i++) buffer = await svc.back(rt.transfer(buffer)); // warm up
  const t0 = performance.now();
  for (let i = 0; i < n; i++) buffer = await svc.back(rt.transfer(buffer));
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

for (const size of sizes) console.log(`${size} transfer ${(await bounce(size, rounds)).toFixed(4)}`);
console.log(`${64 << 20} copy ${(await copy(64 << 20, Math.max(3, rounds / 10))).toFixed(4)}`);
rt.exit(0);
