/* virtio-rng (OASIS VIRTIO 1.2, 5.4): requests are served at once from getrandom(2). */
#include "virtio-rng.h"

#include <sys/random.h>

#define RNG_QUEUE_SIZE 64
#define CLASS_OTHER 0xff0000 /* QEMU gives virtio-rng-pci PCI_CLASS_OTHERS */

/* Called with the device lock held, on the thread that notified. */
static void rng_queue_notify(struct virtio_dev *dev, unsigned q)
{
	struct virtio_elem elem;
	int any = 0;
	while (virtio_queue_pop(dev, q, &elem) == 1) {
		uint32_t written = 0;
		for (unsigned i = 0; i < elem.nin; i++) {
			ssize_t n = getrandom(elem.in[i].p, elem.in[i].len, 0);
			if (n > 0)
				written += (uint32_t)n;
		}
		virtio_queue_push(dev, q, &elem, written);
		any = 1;
	}
	if (any)
		virtio_queue_notify(dev, q);
}

int virtio_rng_init(struct virtio_rng_state *s, struct pci_bus *bus, uint8_t devfn, int irq_line)
{
	static const struct virtio_ops ops = { .queue_notify = rng_queue_notify };
	struct virtio_dev *d = &s->vdev;
	d->name = "virtio-rng";
	d->ops = &ops;
	d->device_id = VIRTIO_ID_RNG;
	d->host_features = 1ull << VIRTIO_F_RING_EVENT_IDX;
	d->nqueues = 1;
	d->vq[0].max_size = RNG_QUEUE_SIZE;
	return virtio_dev_init(d, bus, devfn, CLASS_OTHER, irq_line);
}
