/* virtio-blk (OASIS VIRTIO 1.2, 5.2): requests are checked here and carried out by the
 * backend (src/platform/hosted/disk.c) off the simulated machine's threads. */
#include "virtio-blk.h"

#include <stdlib.h>
#include <string.h>

#include "trace.h"

#define BLK_QUEUE_SIZE 128
#define BLK_HEADER 16 /* struct virtio_blk_req: le32 type, le32 reserved, le64 sector (5.2.6) */
#define DISCARD_SEGMENT 16 /* le64 sector, le32 num_sectors, le32 flags (5.2.6) */
#define CLASS_STORAGE_SCSI 0x010000 /* QEMU gives virtio-blk-pci PCI_CLASS_STORAGE_SCSI */

/* Device configuration offsets (5.2.4). */
#define CFG_CAPACITY 0
#define CFG_SEG_MAX 12
#define CFG_BLK_SIZE 20
#define CFG_MAX_DISCARD_SECTORS 36
#define CFG_MAX_DISCARD_SEG 40
#define CFG_DISCARD_ALIGNMENT 44
#define CFG_LEN 48
#define MAX_DISCARD_SECTORS (1u << 22) /* 2 GiB a request */

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, int bytes)
{
	uint64_t v = 0;
	for (int i = bytes - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* Collects the bytes [skip, total - trim) of `segs` as segments into req->seg. */
static int collect(struct virtio_blk_req *req, const struct virtio_seg *segs, unsigned n, uint32_t skip, uint32_t trim)
{
	uint32_t total = 0;
	for (unsigned i = 0; i < n; i++)
		total += segs[i].len;
	if (total < skip + trim)
		return -1;
	uint32_t want = total - skip - trim, at = 0;
	req->nseg = 0;
	req->data_len = want;
	for (unsigned i = 0; i < n && want; i++) {
		uint32_t len = segs[i].len, off = 0;
		if (at + len <= skip) {
			at += len;
			continue;
		}
		if (at < skip)
			off = skip - at;
		at += len;
		uint32_t take = len - off < want ? len - off : want;
		req->seg[req->nseg].p = segs[i].p + off;
		req->seg[req->nseg].len = take;
		req->nseg++;
		want -= take;
	}
	return 0;
}

/* Finishes a request now (device lock held). */
static void finish_locked(struct virtio_blk_state *s, struct virtio_blk_req *req, uint8_t status)
{
	uint32_t written = !req->status ? 0 : 1 + (status == VIRTIO_BLK_S_OK && (req->type == VIRTIO_BLK_T_IN || req->type == VIRTIO_BLK_T_GET_ID) ? req->data_len : 0);
	if (req->status)
		*req->status = status;
	if (status != VIRTIO_BLK_S_OK)
		s->errors++;
	virtio_queue_push(&s->vdev, 0, &req->elem, written);
	free(req);
}

/* Checks one request; returns the status to answer now, or -1 when the backend takes it. */
static int check(struct virtio_blk_state *s, struct virtio_blk_req *req)
{
	uint8_t hdr[BLK_HEADER];
	const struct virtio_elem *e = &req->elem;
	if (e->nin == 0 || e->in[e->nin - 1].len == 0)
		return -2; /* nowhere to put a status: the chain is returned untouched */
	req->status = e->in[e->nin - 1].p + e->in[e->nin - 1].len - 1;
	if (virtio_elem_read(e, 0, hdr, BLK_HEADER) != BLK_HEADER)
		return VIRTIO_BLK_S_IOERR;
	req->type = (uint32_t)get_le(hdr, 4);
	req->sector = get_le(hdr + 8, 8);
	switch (req->type) {
	case VIRTIO_BLK_T_IN:
	case VIRTIO_BLK_T_OUT:
		if (req->type == VIRTIO_BLK_T_IN ? collect(req, e->in, e->nin, 0, 1) : collect(req, e->out, e->nout, BLK_HEADER, 0))
			return VIRTIO_BLK_S_IOERR;
		if (req->data_len % VIRTIO_BLK_SECTOR || req->sector > s->capacity ||
		    req->data_len / VIRTIO_BLK_SECTOR > s->capacity - req->sector) {
			sim_trace(s->vdev.name, "request for sectors %llu+%u past the %llu-sector disk",
				  (unsigned long long)req->sector, req->data_len / VIRTIO_BLK_SECTOR, (unsigned long long)s->capacity);
			return VIRTIO_BLK_S_IOERR;
		}
		if (req->type == VIRTIO_BLK_T_OUT && s->read_only)
			return VIRTIO_BLK_S_IOERR;
		if (req->type == VIRTIO_BLK_T_IN) s->reads++; else s->writes++;
		return -1;
	case VIRTIO_BLK_T_FLUSH:
		s->flushes++;
		return -1;
	case VIRTIO_BLK_T_GET_ID:
		if (collect(req, e->in, e->nin, 0, 1))
			return VIRTIO_BLK_S_IOERR;
		if (req->data_len > VIRTIO_BLK_ID_BYTES)
			req->data_len = VIRTIO_BLK_ID_BYTES;
		req->data_len = virtio_elem_write(e, 0, (const uint8_t *)s->id, req->data_len);
		return VIRTIO_BLK_S_OK;
	case VIRTIO_BLK_T_DISCARD: {
		uint8_t seg[DISCARD_SEGMENT];
		if (s->read_only || virtio_elem_read(e, BLK_HEADER, seg, DISCARD_SEGMENT) != DISCARD_SEGMENT)
			return VIRTIO_BLK_S_IOERR;
		/* The backend gets the range as sector and data_len (one segment a request). */
		req->sector = get_le(seg, 8);
		uint64_t count = get_le(seg + 8, 4);
		if (req->sector > s->capacity || count > s->capacity - req->sector || count > MAX_DISCARD_SECTORS)
			return VIRTIO_BLK_S_IOERR;
		req->data_len = (uint32_t)(count * VIRTIO_BLK_SECTOR);
		req->nseg = 0;
		s->discards++;
		return -1;
	}
	default:
		return VIRTIO_BLK_S_UNSUPP;
	}
}

/* Called with the device lock held, on the thread that notified. */
static void blk_queue_notify(struct virtio_dev *dev, unsigned q)
{
	struct virtio_blk_state *s = (struct virtio_blk_state *)dev;
	int answered = 0;
	for (;;) {
		struct virtio_blk_req *req = calloc(1, sizeof *req);
		if (!req)
			break;
		if (virtio_queue_pop(dev, q, &req->elem) != 1) {
			free(req);
			break;
		}
		int status = check(s, req);
		if (status == -1) {
			req->epoch = s->epoch;
			s->submit(s->backend, req);
			continue;
		}
		if (status == -2) {
			req->status = NULL;
			req->data_len = 0;
			req->type = VIRTIO_BLK_T_OUT;
			status = VIRTIO_BLK_S_IOERR;
		}
		finish_locked(s, req, (uint8_t)status);
		answered = 1;
	}
	if (answered)
		virtio_queue_notify(dev, q);
}

static void blk_reset(struct virtio_dev *dev)
{
	struct virtio_blk_state *s = (struct virtio_blk_state *)dev;
	s->epoch++; /* requests still with the backend are dropped when they finish */
}

void virtio_blk_complete(struct virtio_blk_state *s, struct virtio_blk_req *req, uint8_t status)
{
	pthread_mutex_lock(&s->vdev.lock);
	if (req->epoch != s->epoch || !virtio_queue_ready(&s->vdev, 0)) {
		free(req);
	} else {
		finish_locked(s, req, status);
		virtio_queue_notify(&s->vdev, 0);
	}
	pthread_mutex_unlock(&s->vdev.lock);
}

int virtio_blk_init(struct virtio_blk_state *s, struct pci_bus *bus, uint8_t devfn, int irq_line,
		    uint64_t capacity, int read_only)
{
	static const struct virtio_ops ops = { .queue_notify = blk_queue_notify, .reset = blk_reset };
	struct virtio_dev *d = &s->vdev;
	d->name = "virtio-blk";
	d->ops = &ops;
	d->device_id = VIRTIO_ID_BLOCK;
	d->host_features = 1ull << VIRTIO_F_RING_EVENT_IDX | 1ull << VIRTIO_BLK_F_SEG_MAX | 1ull << VIRTIO_BLK_F_BLK_SIZE |
			   1ull << VIRTIO_BLK_F_FLUSH | 1ull << VIRTIO_BLK_F_DISCARD | (read_only ? 1ull << VIRTIO_BLK_F_RO : 0);
	d->nqueues = 1;
	d->vq[0].max_size = BLK_QUEUE_SIZE;
	s->capacity = capacity;
	s->read_only = read_only;
	memcpy(s->id, "rtjs-sim-disk", sizeof "rtjs-sim-disk");
	put32(d->config + CFG_CAPACITY, (uint32_t)capacity);
	put32(d->config + CFG_CAPACITY + 4, (uint32_t)(capacity >> 32));
	put32(d->config + CFG_SEG_MAX, VIRTIO_ELEM_MAX_SEGS - 2);
	put32(d->config + CFG_BLK_SIZE, VIRTIO_BLK_SECTOR);
	put32(d->config + CFG_MAX_DISCARD_SECTORS, MAX_DISCARD_SECTORS);
	put32(d->config + CFG_MAX_DISCARD_SEG, 1);
	put32(d->config + CFG_DISCARD_ALIGNMENT, 1);
	d->config_len = CFG_LEN;
	return virtio_dev_init(d, bus, devfn, CLASS_STORAGE_SCSI, irq_line);
}
