// The virtio library for drivers: the PCI transport, split virtqueues and errors.
// docs/drivers.md ("Virtio devices") shows how a driver is built on it.
export { VirtioPciTransport, virtioDeviceId, Status, Feature, VIRTIO_PCI_VENDOR } from './pci-transport.js';
export { SplitQueue, queueBytes } from './virtqueue.js';
export { VirtioError } from './errors.js';
