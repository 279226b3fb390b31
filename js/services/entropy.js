// The machine's entropy from a virtio-rng device: a small service app, holding only the
// device's resources, reads the device and mixes what it gives into the machine's generator
// (rt.hw.addEntropy: the rtjs kernel's ChaCha20 generator behind getrandom(2), and OpenSSL's
// DRBG behind crypto.getRandomValues and node:crypto), at start and again every
// RESEED_INTERVAL_MS. Without RDRAND it is what seeds the machine; with RDRAND it is a second,
// independent source (either one alone is enough).
//
//   import { startEntropy } from 'rtjs:services/entropy.js';
//   const { stats, handle } = await startEntropy();   // resolves once the first bytes are mixed in
//   await stats();                                     // { device, bytes, reads, interrupts }
import { PciBus, pciFunctionResources } from 'rtjs:drivers/pci.js';
import { VirtioPciTransport, virtioDeviceId } from 'rtjs:drivers/virtio/index.js';
import { VirtioRng } from 'rtjs:drivers/virtio-rng.js';

const VIRTIO_ID_RNG = 4;
const PCI_CONFIG = [0xcf8, 8];
const SEED_BYTES = 64;               // two ChaCha20 keys' worth at start (RFC 8439, 2.3)
const RESEED_BYTES = 32;
const RESEED_INTERVAL_MS = 60_000;

/**
 * Spawns the entropy service on the first virtio-rng device and waits for its first bytes.
 * @param {{ cpu?: number|'auto' }} options
 * @returns {Promise<{ stats: Function, handle: object }>}
 * @throws {Error} code ENODEV when the machine has no virtio-rng device.
 */
export async function startEntropy({ cpu = 'auto' } = {}) {
  const pci = new PciBus(rt.hw.ports(...PCI_CONFIG));
  const fn = pci.enumerate().find((d) => virtioDeviceId(d) === VIRTIO_ID_RNG);
  if (!fn) throw Object.assign(new Error('entropy: no virtio-rng device on this machine'), { code: 'ENODEV' });
  const handle = rt.spawn('rtjs:services/entropy.js', {
    name: 'entropy', cpu, args: [fn.bus, fn.device, fn.function].map(String), resources: pciFunctionResources(fn),
  });
  const { stats } = await handle.interface;
  return { stats, handle };
}

async function main() {
  const [bus, dev, func] = rt.argv.map(Number);
  const pci = new PciBus(rt.hw.ports(...PCI_CONFIG));
  const fn = pci.describe(bus, dev, func);
  if (virtioDeviceId(fn) !== VIRTIO_ID_RNG) throw new Error(`entropy: ${rt.argv.join(':')} is not a virtio-rng function`);
  const name = `virtio-rng ${bus.toString(16).padStart(2, '0')}:${dev.toString(16).padStart(2, '0')}.${func}`;
  const rng = new VirtioRng(new VirtioPciTransport(pci, fn, name));
  let bytes = 0, reads = 0;
  const feed = async (length) => {
    const got = await rng.read(length);
    rt.hw.addEntropy(got);
    got.fill(0);
    bytes += got.length;
    reads++;
  };
  await feed(SEED_BYTES);
  setInterval(() => {
    feed(RESEED_BYTES).catch((e) => console.error(`entropy: ${e.message}`));
  }, RESEED_INTERVAL_MS);
  rt.export({ stats: () => ({ device: name, bytes, reads, interrupts: rng.interrupts.count }) });
}

if (rt.self.parentId !== 0 && rt.argv.length === 3) await main();
