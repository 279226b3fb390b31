// MSI vectors go back to the platform when the app holding them frees them or ends: apps that
// take every vector and end, and a virtio-net driver app spawned and killed again and again,
// never run the machine out of vectors. Needs a machine with MSI (rtjs-sim, the kernel) and a
// virtio-net device (rtjs-sim --net user, QEMU's virtio-net-pci).
import { test, assertEqual, assertMatch } from '../harness.js';
import { PciBus } from '../../../js/drivers/pci.js';
import { virtioDeviceId } from '../../../js/drivers/virtio/index.js';
import { netdevResources } from '../../../js/services/netdev.js';

const VIRTIO_ID_NET = 1;
const ROUNDS = Number(rt.argv[0] ?? 12);

// Takes vectors until the platform has none left; frees one and takes it again.
const greedy = `
  const taken = [];
  let error = '';
  for (;;) {
    try { taken.push(rt.hw.msi()); } catch (e) { error = e.message; break; }
  }
  taken.pop().free();
  let again = true;
  try { taken.push(rt.hw.msi()); } catch { again = false; }
  rt.export({ count: taken.length, error, again });`;

test('an app that took every vector gives them all back when it ends', async () => {
  const counts = [];
  for (let i = 0; i < 3; i++) {
    const h = rt.spawn({ source: greedy }, { name: `greedy-${i}`, resources: { dma: true } });
    const r = await h.interface;
    assertMatch(r.error, /^msiAlloc: /);
    assertEqual(r.again, true, 'a freed vector could not be allocated again');
    counts.push(r.count);
    h.kill();
    await h.exited;
  }
  assertEqual(counts[0] > 0, true, 'no MSI vector at all');
  assertEqual(counts, [counts[0], counts[0], counts[0]], 'vectors lost between apps');
  console.log(`vectors per app: ${counts[0]}`);
});

test(`a virtio-net driver app started and killed ${ROUNDS} times keeps getting MSI-X vectors`, async () => {
  const pci = new PciBus(rt.hw.ports(0xcf8, 8));
  const fn = pci.enumerate().find((d) => virtioDeviceId(d) === VIRTIO_ID_NET);
  if (!fn) throw new Error('no virtio-net PCI function on this machine');
  let vectors = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const h = rt.spawn('rtjs:services/netdev.js', {
      name: `netdev-${i}`, args: [fn.bus, fn.device, fn.function].map(String), resources: netdevResources(fn),
    });
    const info = await (await h.interface).info();
    assertEqual([info.linkUp, info.interrupts.mode], [true, 'msix'], `round ${i}`);
    vectors += info.interrupts.vectors;
    h.kill();
    await h.exited;
  }
  console.log(`${ROUNDS} driver apps took ${vectors} vectors in all`);
});
