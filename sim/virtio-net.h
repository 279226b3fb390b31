/*
 * virtio-net over PCI (OASIS VIRTIO 1.2, 5.1) on the shared virtio model (virtio.h):
 * queue 0 receives, queue 1 transmits; MAC, link status, mergeable receive buffers and
 * checksum offload (the device completes a partial checksum the driver leaves it).
 *
 * The network behind it is a backend (src/platform/hosted/net-*.c): it is told when the
 * driver queued frames (tx_kick, from the thread that notified; it must not call back into
 * the device there), then calls virtio_net_flush_tx on its own thread, which hands each frame
 * to `output`; frames from the network go in with virtio_net_receive.
 */
#ifndef RTJS_SIM_VIRTIO_NET_H
#define RTJS_SIM_VIRTIO_NET_H

#include <stddef.h>
#include <stdint.h>

#include "virtio.h"

/* Feature bits (5.1.3). */
#define VIRTIO_NET_F_CSUM 0
#define VIRTIO_NET_F_GUEST_CSUM 1
#define VIRTIO_NET_F_MAC 5
#define VIRTIO_NET_F_MRG_RXBUF 15
#define VIRTIO_NET_F_STATUS 16

#define VIRTIO_NET_RXQ 0
#define VIRTIO_NET_TXQ 1
#define VIRTIO_NET_HDR_LEN 12 /* struct virtio_net_hdr with num_buffers (5.1.6) */
#define VIRTIO_NET_FRAME_MAX 1514 /* Ethernet header + 1500-byte MTU, no FCS */

struct virtio_net_state {
	struct virtio_dev vdev;
	uint8_t mac[6];
	int link_up;
	void (*tx_kick)(void *ctx);
	void (*output)(void *ctx, const uint8_t *frame, size_t len);
	void *backend;
	/* Counters of the device side (under vdev.lock). */
	uint64_t rx_frames, rx_no_buffer, rx_too_big, tx_frames, tx_bad;
};

int virtio_net_init(struct virtio_net_state *s, struct pci_bus *bus, uint8_t devfn, int irq_line, const uint8_t mac[6]);
/* Moves every frame the driver queued to the backend's output. Not under the device lock. */
void virtio_net_flush_tx(struct virtio_net_state *s);
/* A frame from the network: into the driver's receive buffers, or dropped (counted) when
 * the driver has none. Returns 0, or -ENOBUFS/-EMSGSIZE/-ENODEV when dropped. */
int virtio_net_receive(struct virtio_net_state *s, const uint8_t *frame, size_t len);
void virtio_net_set_link(struct virtio_net_state *s, int up);

#endif
