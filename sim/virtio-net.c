/* virtio-net (OASIS VIRTIO 1.2, 5.1) on the shared virtio PCI model. See virtio-net.h. */
#include "virtio-net.h"

#include <errno.h>
#include <string.h>

#include "trace.h"

#define NET_QUEUE_SIZE 256
#define CLASS_ETHERNET 0x020000
/* Device configuration (5.1.4): mac[6], status, max_virtqueue_pairs, mtu. */
#define CFG_MAC 0
#define CFG_STATUS 6
#define CFG_MAX_PAIRS 8
#define CFG_MTU 10
#define CFG_LEN 12
#define NET_S_LINK_UP 1
/* struct virtio_net_hdr (5.1.6): flags, gso_type, hdr_len, gso_size, csum_start,
 * csum_offset, num_buffers. */
#define HDR_FLAGS 0
#define HDR_CSUM_START 6
#define HDR_CSUM_OFFSET 8
#define HDR_NUM_BUFFERS 10
#define HDR_F_NEEDS_CSUM 1

static void st16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static uint16_t ld16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static struct virtio_net_state *net_of(struct virtio_dev *dev)
{
	return (struct virtio_net_state *)((char *)dev - offsetof(struct virtio_net_state, vdev));
}

static int has(const struct virtio_dev *dev, unsigned bit) { return (dev->guest_features >> bit) & 1; }

/* The Internet checksum (RFC 1071) of frame[start..len), stored at start + offset: what
 * VIRTIO_NET_HDR_F_NEEDS_CSUM asks of the device (5.1.6.2). */
static int complete_checksum(uint8_t *frame, size_t len, uint16_t start, uint16_t offset)
{
	if ((size_t)start + offset + 2 > len)
		return -1;
	uint32_t sum = 0;
	for (size_t i = start; i + 1 < len; i += 2)
		sum += (uint32_t)(frame[i] << 8 | frame[i + 1]);
	if ((len - start) & 1)
		sum += (uint32_t)frame[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	uint16_t csum = (uint16_t)~sum;
	frame[start + offset] = (uint8_t)(csum >> 8);
	frame[start + offset + 1] = (uint8_t)csum;
	return 0;
}

/* Takes one transmit request into buf; returns the frame's length, 0 if none, -1 if bad. */
static int take_tx(struct virtio_net_state *s, uint8_t *buf, size_t cap, int *more)
{
	struct virtio_dev *dev = &s->vdev;
	struct virtio_elem elem;
	*more = virtio_queue_pop(dev, VIRTIO_NET_TXQ, &elem) == 1;
	if (!*more)
		return 0;
	uint8_t hdr[VIRTIO_NET_HDR_LEN];
	uint32_t got = virtio_elem_read(&elem, 0, hdr, sizeof hdr);
	uint32_t len = virtio_elem_read(&elem, VIRTIO_NET_HDR_LEN, buf, (uint32_t)cap);
	virtio_queue_push(dev, VIRTIO_NET_TXQ, &elem, 0);
	if (got < sizeof hdr || len == 0 || len > VIRTIO_NET_FRAME_MAX) {
		sim_trace(dev->name, "transmit request of %u bytes dropped (header %u bytes)", len, got);
		s->tx_bad++;
		return -1;
	}
	if ((hdr[HDR_FLAGS] & HDR_F_NEEDS_CSUM) && has(dev, VIRTIO_NET_F_CSUM) &&
	    complete_checksum(buf, len, ld16(hdr + HDR_CSUM_START), ld16(hdr + HDR_CSUM_OFFSET))) {
		sim_trace(dev->name, "checksum start/offset outside a %u-byte frame", len);
		s->tx_bad++;
		return -1;
	}
	s->tx_frames++;
	return (int)len;
}

void virtio_net_flush_tx(struct virtio_net_state *s)
{
	uint8_t frame[VIRTIO_NET_FRAME_MAX];
	struct virtio_dev *dev = &s->vdev;
	pthread_mutex_lock(&dev->lock);
	int took = 0, more = 1;
	while (more) {
		int len = take_tx(s, frame, sizeof frame, &more);
		took |= more;
		if (len <= 0)
			continue;
		/* The backend may answer at once (slirp replies to ARP inside its input), which
		 * comes back here through virtio_net_receive: never call it under the lock. */
		pthread_mutex_unlock(&dev->lock);
		s->output(s->backend, frame, (size_t)len);
		pthread_mutex_lock(&dev->lock);
	}
	if (took && virtio_queue_ready(dev, VIRTIO_NET_TXQ))
		virtio_queue_notify(dev, VIRTIO_NET_TXQ);
	pthread_mutex_unlock(&dev->lock);
}

/* Called with the lock held. Fills as many receive buffers as the frame needs (one
 * without VIRTIO_NET_F_MRG_RXBUF); when they run out, the taken ones are given back. */
static int receive_locked(struct virtio_net_state *s, const uint8_t *frame, size_t len)
{
	struct virtio_dev *dev = &s->vdev;
	if (!virtio_queue_ready(dev, VIRTIO_NET_RXQ) || !s->link_up)
		return -ENODEV;
	if (len > VIRTIO_NET_FRAME_MAX) {
		s->rx_too_big++;
		return -EMSGSIZE;
	}
	int mergeable = has(dev, VIRTIO_NET_F_MRG_RXBUF);
	static struct virtio_elem elems[VIRTIO_QUEUE_MAX_SIZE]; /* under the device lock */
	uint32_t lens[VIRTIO_QUEUE_MAX_SIZE];
	uint8_t hdr[VIRTIO_NET_HDR_LEN] = { 0 };
	size_t need = sizeof hdr + len, placed = 0;
	unsigned n = 0;
	while (placed < need) {
		if (n == VIRTIO_QUEUE_MAX_SIZE || (n && !mergeable))
			goto no_buffer;
		int rc = virtio_queue_pop(dev, VIRTIO_NET_RXQ, &elems[n]);
		if (rc != 1)
			goto no_buffer;
		uint32_t room = virtio_elem_in_size(&elems[n]);
		lens[n] = need - placed < room ? (uint32_t)(need - placed) : room;
		placed += lens[n];
		n++;
	}
	st16(hdr + HDR_NUM_BUFFERS, (uint16_t)n);
	size_t from = 0;
	for (unsigned i = 0; i < n; i++) {
		uint32_t skip = 0;
		if (i == 0) {
			virtio_elem_write(&elems[0], 0, hdr, sizeof hdr);
			skip = sizeof hdr;
		}
		virtio_elem_write(&elems[i], skip, frame + from, lens[i] - skip);
		from += lens[i] - skip;
		virtio_queue_push(dev, VIRTIO_NET_RXQ, &elems[i], lens[i]);
	}
	s->rx_frames++;
	virtio_queue_notify(dev, VIRTIO_NET_RXQ);
	return 0;
no_buffer:
	dev->vq[VIRTIO_NET_RXQ].last_avail = (uint16_t)(dev->vq[VIRTIO_NET_RXQ].last_avail - n);
	s->rx_no_buffer++;
	return -ENOBUFS;
}

int virtio_net_receive(struct virtio_net_state *s, const uint8_t *frame, size_t len)
{
	pthread_mutex_lock(&s->vdev.lock);
	int rc = receive_locked(s, frame, len);
	pthread_mutex_unlock(&s->vdev.lock);
	return rc;
}

static void write_config(struct virtio_net_state *s)
{
	memcpy(s->vdev.config + CFG_MAC, s->mac, 6);
	st16(s->vdev.config + CFG_STATUS, s->link_up ? NET_S_LINK_UP : 0);
	st16(s->vdev.config + CFG_MAX_PAIRS, 1);
	st16(s->vdev.config + CFG_MTU, VIRTIO_NET_FRAME_MAX - 14);
}

void virtio_net_set_link(struct virtio_net_state *s, int up)
{
	pthread_mutex_lock(&s->vdev.lock);
	if (s->link_up != !!up) {
		s->link_up = !!up;
		write_config(s);
		virtio_config_changed(&s->vdev); /* the link-change interrupt (5.1.4) */
	}
	pthread_mutex_unlock(&s->vdev.lock);
}

/* Called with the lock held, on the engine thread that notified. */
static void net_queue_notify(struct virtio_dev *dev, unsigned q)
{
	struct virtio_net_state *s = net_of(dev);
	if (q == VIRTIO_NET_TXQ && s->tx_kick)
		s->tx_kick(s->backend);
}

int virtio_net_init(struct virtio_net_state *s, struct pci_bus *bus, uint8_t devfn, int irq_line, const uint8_t mac[6])
{
	static const struct virtio_ops ops = { .queue_notify = net_queue_notify };
	struct virtio_dev *d = &s->vdev;
	memcpy(s->mac, mac, 6);
	s->link_up = 1;
	d->name = "virtio-net";
	d->ops = &ops;
	d->device_id = VIRTIO_ID_NET;
	d->host_features = 1ull << VIRTIO_NET_F_MAC | 1ull << VIRTIO_NET_F_STATUS | 1ull << VIRTIO_NET_F_MRG_RXBUF |
			   1ull << VIRTIO_NET_F_CSUM | 1ull << VIRTIO_NET_F_GUEST_CSUM | 1ull << VIRTIO_F_RING_EVENT_IDX |
			   1ull << VIRTIO_F_INDIRECT_DESC;
	d->nqueues = 2;
	d->vq[VIRTIO_NET_RXQ].max_size = NET_QUEUE_SIZE;
	d->vq[VIRTIO_NET_TXQ].max_size = NET_QUEUE_SIZE;
	d->config_len = CFG_LEN;
	write_config(s);
	return virtio_dev_init(d, bus, devfn, CLASS_ETHERNET, irq_line);
}
