// Starting the network service from init (or any app holding the hardware): the service app
// gets exactly its NIC's resources (PCI configuration space, the function's BARs, its
// interrupt line, DMA memory and MSI vectors) and runs the driver and the stack together, so
// that no frame crosses between apps.
import { PciBus } from '../../drivers/pci.js';
import { virtioDeviceId } from '../../drivers/virtio/index.js';
import { netdevResources } from '../netdev.js';

const VIRTIO_ID_NET = 1;
const PCI_CONFIG = [0xcf8, 8];

/**
 * Spawns the network service on the first virtio-net device and waits for its interface.
 * @param {{ args?: string[], cpu?: number|'auto', budgetMs?: number, loopback?: boolean }} options
 *   args for js/apps/net.js (--static ...); budgetMs: the service's task budget (rt.spawn's
 *   default when not given); loopback: no device, only 127.0.0.1/8 (apps talking to each other)
 * @returns {Promise<{ net: object, handle: object }>} net: the interface to grant to apps
 */
export async function startNetwork({ args = [], cpu = 'auto', budgetMs, loopback = false } = {}) {
  if (loopback) {
    const handle = rt.spawn('rtjs:apps/net.js', { name: 'net', args: ['--loopback'], cpu, budgetMs });
    return { net: await handle.interface, handle };
  }
  const pci = new PciBus(rt.hw.ports(...PCI_CONFIG));
  const fn = pci.enumerate().find((d) => virtioDeviceId(d) === VIRTIO_ID_NET);
  if (!fn) throw Object.assign(new Error('network: no virtio-net device on this machine'), { code: 'ENODEV' });
  const handle = rt.spawn('rtjs:apps/net.js', { name: 'net', args, cpu, budgetMs, resources: netdevResources(fn) });
  return { net: await handle.interface, handle };
}
