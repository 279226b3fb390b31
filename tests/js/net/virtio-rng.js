// virtio-rng through the JS driver (rtjs-sim --rng, or QEMU's virtio-rng-pci): requests are
// answered through the interrupt with the bytes asked for, and they are not all alike.
import { test, assertEqual } from '../harness.js';
import { PciBus } from '../../../js/drivers/pci.js';
import { VirtioPciTransport, virtioDeviceId } from '../../../js/drivers/virtio/index.js';
import { VirtioRng } from '../../../js/drivers/virtio-rng.js';

const VIRTIO_ID_RNG = 4;
const pci = new PciBus(rt.hw.ports(0xcf8, 8));
const fn = pci.enumerate().find((d) => virtioDeviceId(d) === VIRTIO_ID_RNG);
if (!fn) throw new Error('no virtio-rng PCI function on this machine');
const MODE = rt.argv[0] ?? 'msix';
const rng = new VirtioRng(new VirtioPciTransport(pci, fn, 'virtio-rng'), { msix: MODE === 'msix' });

test('random bytes arrive, several requests in flight at once', async () => {
  const [a, b, c] = await Promise.all([rng.read(64), rng.read(64), rng.read(4096)]);
  assertEqual([a.length, b.length, c.length], [64, 64, 4096]);
  assertEqual(a.some((x, i) => x !== b[i]), true, 'two requests returned the same bytes');
  assertEqual(new Set(c).size > 200, true, 'fewer than 200 distinct byte values in 4096 random bytes');
  assertEqual([rng.interrupts.mode, rng.interrupts.count > 0], [MODE, true], 'interrupts');
  console.log(`interrupts: ${rng.interrupts.count} by ${rng.interrupts.mode}`);
});

test('a bad length is refused with the device named', async () => {
  let err;
  try { await rng.read(0); } catch (e) { err = e; }
  assertEqual(/virtio-rng: read\(length\) takes 1 to 4096/.test(String(err)), true, String(err));
  rng.close();
});
