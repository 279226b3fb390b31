/*
 * virtio-blk over PCI (OASIS VIRTIO 1.2, 5.2) on the shared virtio model (virtio.h): one
 * request queue; capacity, block size, read-only, flush and discard.
 *
 * The disk behind it is a backend (src/platform/hosted/disk.c): queue_notify validates each
 * request and hands it to `submit` (called with the device lock held; it must not block or
 * call back into the device there); the backend does the I/O on its own thread and calls
 * virtio_blk_complete, which writes the status byte and returns the chain to the driver.
 */
#ifndef RTJS_SIM_VIRTIO_BLK_H
#define RTJS_SIM_VIRTIO_BLK_H

#include <stdint.h>

#include "virtio.h"

/* Feature bits (5.2.3). */
#define VIRTIO_BLK_F_SEG_MAX 2
#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_BLK_SIZE 6
#define VIRTIO_BLK_F_FLUSH 9
#define VIRTIO_BLK_F_DISCARD 13

/* Request types and statuses (5.2.6). */
#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_T_GET_ID 8
#define VIRTIO_BLK_T_DISCARD 11
#define VIRTIO_BLK_S_OK 0
#define VIRTIO_BLK_S_IOERR 1
#define VIRTIO_BLK_S_UNSUPP 2

#define VIRTIO_BLK_SECTOR 512
#define VIRTIO_BLK_ID_BYTES 20 /* GET_ID answers with up to 20 bytes (5.2.6) */
#define VIRTIO_BLK_MAX_REQUESTS VIRTIO_QUEUE_MAX_SIZE

/* One request the backend carries out: data segments point into guest memory. */
struct virtio_blk_req {
	struct virtio_elem elem;
	uint32_t type;
	uint64_t sector;
	uint32_t data_len;   /* bytes of data (without header and status) */
	unsigned nseg;       /* data segments in seg[] */
	struct virtio_seg seg[VIRTIO_ELEM_MAX_SEGS];
	uint8_t *status;     /* the status byte in guest memory */
	uint32_t epoch;      /* the device's epoch when taken: a reset in between drops it */
	struct virtio_blk_req *next; /* the backend's queue */
};

struct virtio_blk_state {
	struct virtio_dev vdev;
	uint64_t capacity; /* sectors */
	int read_only;
	char id[VIRTIO_BLK_ID_BYTES];
	void (*submit)(void *ctx, struct virtio_blk_req *req);
	void *backend;
	uint32_t epoch; /* bumped by every reset */
	/* Counters (under vdev.lock). */
	uint64_t reads, writes, flushes, discards, errors;
};

int virtio_blk_init(struct virtio_blk_state *s, struct pci_bus *bus, uint8_t devfn, int irq_line,
		    uint64_t capacity, int read_only);
/* The backend finished `req` with `status` (VIRTIO_BLK_S_*); frees it. Takes the device lock. */
void virtio_blk_complete(struct virtio_blk_state *s, struct virtio_blk_req *req, uint8_t status);

#endif
