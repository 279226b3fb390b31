// Starting the file service from init (or any app holding the hardware): the service app gets
// exactly its disk's resources (PCI configuration space, the function's BARs, its interrupt
// line and DMA memory), mounts the disk at /disk and serves it to the apps it is granted to.
import { PciBus } from '../../drivers/pci.js';
import { virtioDeviceId } from '../../drivers/virtio/index.js';

const VIRTIO_ID_BLOCK = 2; // OASIS VIRTIO 1.2, 5
const PCI_CONFIG = [0xcf8, 8]; // configuration mechanism #1 (PCI Local Bus 3.0, 3.2.2.3.2)

// What a disk driver needs of PCI function `fn`: the configuration ports, its BARs (I/O
// ports or memory), its INTx line, and DMA memory for its queues.
function diskResources(fn) {
  const ports = [PCI_CONFIG];
  const memory = [];
  for (const b of fn.bars) (b.type === 'io' ? ports : memory).push([b.address, b.size]);
  return { ports, memory, irqs: fn.interruptPin ? [fn.interruptLine] : [], dma: true };
}

/**
 * Spawns the file service on the first virtio-blk disk and waits for its interface.
 * @param {{ cpu?: number|'auto', budgetMs?: number }} [options]
 * @returns {Promise<{ files: object, handle: object }>} files: forApp, revoke, openFiles, mounts, sync
 */
export async function startFiles({ cpu = 'auto', budgetMs } = {}) {
  const pci = new PciBus(rt.hw.ports(...PCI_CONFIG));
  const fn = pci.enumerate().find((d) => virtioDeviceId(d) === VIRTIO_ID_BLOCK);
  if (!fn) throw Object.assign(new Error('files: no virtio-blk disk on this machine'), { code: 'ENODEV' });
  const handle = rt.spawn('rtjs:apps/files.js', { name: 'files', cpu, budgetMs, resources: diskResources(fn) });
  return { files: await handle.interface, handle };
}
