/*
 * virtio-rng over PCI (OASIS VIRTIO 1.2, 5.4) on the shared virtio model: one request
 * queue whose device-writable buffers the device fills with the host's random bytes.
 */
#ifndef RTJS_SIM_VIRTIO_RNG_H
#define RTJS_SIM_VIRTIO_RNG_H

#include "virtio.h"

struct virtio_rng_state {
	struct virtio_dev vdev;
};

int virtio_rng_init(struct virtio_rng_state *s, struct pci_bus *bus, uint8_t devfn, int irq_line);

#endif
