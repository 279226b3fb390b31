/*
 * The virtio 1.x PCI transport and split virtqueues shared by the simulated virtio devices
 * (OASIS VIRTIO 1.2: 2.7 split virtqueues, 4.1 virtio over PCI). See virtio.h.
 */
#include "virtio.h"

#include <errno.h>
#include <stdatomic.h>
#include <string.h>

#include "trace.h"

/* Common configuration structure offsets (4.1.4.3). */
#define COMMON_DFSELECT 0x00
#define COMMON_DF 0x04
#define COMMON_GFSELECT 0x08
#define COMMON_GF 0x0c
#define COMMON_MSIX 0x10
#define COMMON_NUMQ 0x12
#define COMMON_STATUS 0x14
#define COMMON_CFGGENERATION 0x15
#define COMMON_Q_SELECT 0x16
#define COMMON_Q_SIZE 0x18
#define COMMON_Q_MSIX 0x1a
#define COMMON_Q_ENABLE 0x1c
#define COMMON_Q_NOFF 0x1e
#define COMMON_Q_DESCLO 0x20
#define COMMON_Q_DESCHI 0x24
#define COMMON_Q_AVAILLO 0x28
#define COMMON_Q_AVAILHI 0x2c
#define COMMON_Q_USEDLO 0x30
#define COMMON_Q_USEDHI 0x34
#define COMMON_SIZE 0x38

/* Capability types (4.1.4) and the layout of struct virtio_pci_cap. */
#define PCI_CAP_ID_VNDR 0x09
#define PCI_CAP_ID_MSIX 0x11
#define VIRTIO_PCI_CAP_COMMON_CFG 1
#define VIRTIO_PCI_CAP_NOTIFY_CFG 2
#define VIRTIO_PCI_CAP_ISR_CFG 3
#define VIRTIO_PCI_CAP_DEVICE_CFG 4
#define CAP_LEN 16
#define CAP_NOTIFY_LEN 20
#define CAP_OFF_CFG_TYPE 3
#define CAP_OFF_BAR 4
#define CAP_OFF_OFFSET 8
#define CAP_OFF_LENGTH 12
#define CAP_OFF_NOTIFY_MULT 16

/* ISR status bits (4.1.4.5). */
#define ISR_QUEUE 0x1
#define ISR_CONFIG 0x2

/* MSI-X capability and table (PCI 3.0, 6.8.2): Message Control, Table and PBA offsets. */
#define MSIX_CAP_LEN 12
#define MSIX_CTRL 2
#define MSIX_CTRL_ENABLE 0x8000
#define MSIX_CTRL_MASKALL 0x4000
#define MSIX_TABLE_OFF 4
#define MSIX_PBA_OFF 8
#define MSIX_ENTRY_SIZE 16
#define MSIX_ENTRY_CTRL_MASKED 0x1
#define MSIX_ENTRY_ADDR 0
#define MSIX_ENTRY_DATA 8
#define MSIX_ENTRY_CTRL 12
#define MSIX_PBA_START 0x800

/* Split virtqueue layout (2.7.5-2.7.8). */
#define DESC_SIZE 16
#define AVAIL_RING 4
#define USED_RING 4
#define USED_ELEM_SIZE 8

static uint16_t ld16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t ld32(const uint8_t *p) { return ld16(p) | (uint32_t)ld16(p + 2) << 16; }
static uint64_t ld64(const uint8_t *p) { return ld32(p) | (uint64_t)ld32(p + 4) << 32; }
static void st16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void st32(uint8_t *p, uint32_t v) { st16(p, (uint16_t)v); st16(p + 2, (uint16_t)(v >> 16)); }

static int msix_enabled(const struct virtio_dev *dev)
{
	return dev->msix_cap > 0 && (ld16(dev->pci.config + dev->msix_cap + MSIX_CTRL) & MSIX_CTRL_ENABLE);
}

/* ---- interrupts ---------------------------------------------------------------------- */

static void virtio_update_irq(struct virtio_dev *dev)
{
	pci_device_set_irq(&dev->pci, !msix_enabled(dev) && dev->isr != 0);
}

/* Sends MSI-X vector v, or marks it pending while it is masked (6.8.3.4). */
static void msix_notify(struct virtio_dev *dev, uint16_t v)
{
	if (v >= VIRTIO_MSIX_VECTORS)
		return;
	uint16_t ctrl = ld16(dev->pci.config + dev->msix_cap + MSIX_CTRL);
	const uint8_t *e = dev->msix_mem + MSIX_ENTRY_SIZE * v;
	uint8_t *pba = dev->msix_mem + MSIX_PBA_START + v / 8;
	uint32_t control = ld32(e + MSIX_ENTRY_CTRL);
	if ((ctrl & MSIX_CTRL_MASKALL) || (control & MSIX_ENTRY_CTRL_MASKED) || !dev->msi_send) {
		*pba |= (uint8_t)(1u << (v % 8));
		return;
	}
	*pba &= (uint8_t)~(1u << (v % 8));
	dev->msi_send(dev->msi_ctx, ld64(e + MSIX_ENTRY_ADDR), ld32(e + MSIX_ENTRY_DATA));
}

static void interrupt(struct virtio_dev *dev, uint8_t isr_bit, uint16_t vector)
{
	if (msix_enabled(dev)) {
		msix_notify(dev, vector);
		return;
	}
	dev->isr |= isr_bit;
	virtio_update_irq(dev);
}

static void set_needs_reset(struct virtio_dev *dev, const char *why, unsigned q)
{
	sim_trace(dev->name, "queue %u: %s: device needs reset", q, why);
	if (dev->status & VIRTIO_STATUS_NEEDS_RESET)
		return;
	dev->status |= VIRTIO_STATUS_NEEDS_RESET;
	if (dev->status & VIRTIO_STATUS_DRIVER_OK)
		interrupt(dev, ISR_CONFIG, dev->config_vector);
}

void virtio_config_changed(struct virtio_dev *dev)
{
	dev->generation++;
	if (dev->status & VIRTIO_STATUS_DRIVER_OK)
		interrupt(dev, ISR_CONFIG, dev->config_vector);
}

/* ---- reset --------------------------------------------------------------------------- */

static void virtio_dev_reset(struct virtio_dev *dev)
{
	dev->status = 0;
	dev->isr = 0;
	dev->guest_features = 0;
	dev->dfselect = dev->gfselect = 0;
	dev->queue_sel = 0;
	dev->config_vector = VIRTIO_MSI_NO_VECTOR;
	for (unsigned i = 0; i < dev->nqueues; i++) {
		struct virtio_queue *vq = &dev->vq[i];
		uint16_t max = vq->max_size;
		memset(vq, 0, sizeof *vq);
		vq->max_size = vq->size = max;
		vq->msix_vector = VIRTIO_MSI_NO_VECTOR;
	}
	memset(dev->msix_mem + MSIX_PBA_START, 0, VIRTIO_MSIX_BAR_SIZE - MSIX_PBA_START);
	dev->completions = 0;
	if (dev->ops->reset)
		dev->ops->reset(dev);
	virtio_update_irq(dev);
}

/* ---- common configuration ---------------------------------------------------------- */

static struct virtio_queue *selected(struct virtio_dev *dev)
{
	return dev->queue_sel < dev->nqueues ? &dev->vq[dev->queue_sel] : NULL;
}

static uint32_t common_read(struct virtio_dev *dev, uint32_t off)
{
	struct virtio_queue *vq = selected(dev);
	switch (off) {
	case COMMON_DFSELECT: return dev->dfselect;
	case COMMON_DF: return dev->dfselect < 2 ? (uint32_t)(dev->host_features >> (32 * dev->dfselect)) : 0;
	case COMMON_GFSELECT: return dev->gfselect;
	case COMMON_GF: return dev->gfselect < 2 ? (uint32_t)(dev->guest_features >> (32 * dev->gfselect)) : 0;
	case COMMON_MSIX: return dev->config_vector;
	case COMMON_NUMQ: return dev->nqueues;
	case COMMON_STATUS: return dev->status;
	case COMMON_CFGGENERATION: return dev->generation;
	case COMMON_Q_SELECT: return dev->queue_sel;
	case COMMON_Q_SIZE: return vq ? vq->size : 0; /* 0: no such queue (4.1.4.3) */
	case COMMON_Q_MSIX: return vq ? vq->msix_vector : VIRTIO_MSI_NO_VECTOR;
	case COMMON_Q_ENABLE: return vq ? vq->enabled : 0;
	case COMMON_Q_NOFF: return dev->queue_sel;
	case COMMON_Q_DESCLO: return vq ? (uint32_t)vq->desc : 0;
	case COMMON_Q_DESCHI: return vq ? (uint32_t)(vq->desc >> 32) : 0;
	case COMMON_Q_AVAILLO: return vq ? (uint32_t)vq->avail : 0;
	case COMMON_Q_AVAILHI: return vq ? (uint32_t)(vq->avail >> 32) : 0;
	case COMMON_Q_USEDLO: return vq ? (uint32_t)vq->used : 0;
	case COMMON_Q_USEDHI: return vq ? (uint32_t)(vq->used >> 32) : 0;
	default: return 0;
	}
}

static void set_lo(uint64_t *r, uint32_t v) { *r = (*r & ~0xffffffffull) | v; }
static void set_hi(uint64_t *r, uint32_t v) { *r = (*r & 0xffffffffull) | (uint64_t)v << 32; }

/* Status writes (2.1.2, 3.1.1): 0 resets; FEATURES_OK stays set only if the driver took a
 * subset of what was offered and VERSION_1 among them. */
static void status_write(struct virtio_dev *dev, uint8_t v)
{
	if (v == 0) {
		virtio_dev_reset(dev);
		return;
	}
	if ((v & VIRTIO_STATUS_FEATURES_OK) && !(dev->status & VIRTIO_STATUS_FEATURES_OK)) {
		uint64_t extra = dev->guest_features & ~dev->host_features;
		if (extra || !(dev->guest_features >> VIRTIO_F_VERSION_1 & 1)) {
			sim_trace(dev->name, "features 0x%llx refused (offered 0x%llx)",
				  (unsigned long long)dev->guest_features, (unsigned long long)dev->host_features);
			v &= (uint8_t)~VIRTIO_STATUS_FEATURES_OK;
		}
	}
	dev->status = (uint8_t)(v | (dev->status & VIRTIO_STATUS_NEEDS_RESET));
}

/* Queue registers may be written only before the queue is enabled (4.1.4.3.2). */
static void queue_write(struct virtio_dev *dev, struct virtio_queue *vq, uint32_t off, uint32_t v)
{
	if (off == COMMON_Q_MSIX) {
		vq->msix_vector = (uint16_t)v < VIRTIO_MSIX_VECTORS ? (uint16_t)v : VIRTIO_MSI_NO_VECTOR;
		return;
	}
	if (vq->enabled) {
		sim_trace(dev->name, "queue %u register 0x%x written while enabled", dev->queue_sel, off);
		return;
	}
	switch (off) {
	case COMMON_Q_SIZE:
		/* A power of two no larger than the maximum (2.7: split queue sizes). */
		if (v && v <= vq->max_size && !(v & (v - 1)))
			vq->size = (uint16_t)v;
		else
			sim_trace(dev->name, "queue %u size %u refused (max %u)", dev->queue_sel, v, vq->max_size);
		break;
	case COMMON_Q_ENABLE:
		if (v == 1) {
			vq->enabled = 1;
			vq->last_avail = vq->used_idx = 0;
			vq->signalled_valid = 0;
		}
		break;
	case COMMON_Q_DESCLO: set_lo(&vq->desc, v); break;
	case COMMON_Q_DESCHI: set_hi(&vq->desc, v); break;
	case COMMON_Q_AVAILLO: set_lo(&vq->avail, v); break;
	case COMMON_Q_AVAILHI: set_hi(&vq->avail, v); break;
	case COMMON_Q_USEDLO: set_lo(&vq->used, v); break;
	case COMMON_Q_USEDHI: set_hi(&vq->used, v); break;
	default: break;
	}
}

static void common_write(struct virtio_dev *dev, uint32_t off, uint32_t v)
{
	struct virtio_queue *vq = selected(dev);
	switch (off) {
	case COMMON_DFSELECT: dev->dfselect = v; break;
	case COMMON_GFSELECT: dev->gfselect = v; break;
	case COMMON_GF:
		if (dev->gfselect < 2 && !(dev->status & VIRTIO_STATUS_FEATURES_OK)) {
			uint64_t mask = 0xffffffffull << (32 * dev->gfselect);
			dev->guest_features = (dev->guest_features & ~mask) | ((uint64_t)v << (32 * dev->gfselect));
		}
		break;
	case COMMON_MSIX: dev->config_vector = (uint16_t)v < VIRTIO_MSIX_VECTORS ? (uint16_t)v : VIRTIO_MSI_NO_VECTOR; break;
	case COMMON_STATUS: status_write(dev, (uint8_t)v); break;
	case COMMON_Q_SELECT: dev->queue_sel = (uint16_t)v; break;
	default:
		if (vq)
			queue_write(dev, vq, off, v);
		else
			sim_trace(dev->name, "write 0x%x to register 0x%x of absent queue %u", v, off, dev->queue_sel);
		break;
	}
}

/* ---- BAR0: the register window --------------------------------------------------------- */

uint32_t virtio_dev_read(void *opaque, uint32_t offset, unsigned size)
{
	struct virtio_dev *dev = opaque;
	uint32_t v = 0;
	pthread_mutex_lock(&dev->lock);
	if (offset < COMMON_SIZE) {
		uint32_t word = common_read(dev, offset & ~3u);
		if (offset == COMMON_NUMQ || offset == COMMON_CFGGENERATION || offset == COMMON_STATUS ||
		    offset == COMMON_Q_SIZE || offset == COMMON_Q_MSIX || offset == COMMON_Q_ENABLE ||
		    offset == COMMON_Q_NOFF)
			word = common_read(dev, offset);
		else if (offset & 3)
			word >>= 8 * (offset & 3);
		v = word;
	} else if (offset == VIRTIO_ISR_OFF) {
		/* Reading the ISR status clears it and de-asserts INTx (4.1.4.5). */
		v = dev->isr;
		dev->isr = 0;
		virtio_update_irq(dev);
	} else if (offset >= VIRTIO_DEVICE_CFG_OFF && offset + size <= VIRTIO_DEVICE_CFG_OFF + dev->config_len) {
		const uint8_t *p = dev->config + (offset - VIRTIO_DEVICE_CFG_OFF);
		v = size == 1 ? p[0] : size == 2 ? ld16(p) : ld32(p);
	} else {
		sim_trace(dev->name, "%u-byte read at unused register 0x%x", size, offset);
	}
	pthread_mutex_unlock(&dev->lock);
	if (size < 4)
		v &= (1u << (8 * size)) - 1;
	return v;
}

void virtio_dev_write(void *opaque, uint32_t offset, unsigned size, uint32_t value)
{
	struct virtio_dev *dev = opaque;
	pthread_mutex_lock(&dev->lock);
	if (offset < COMMON_SIZE) {
		common_write(dev, offset, value);
	} else if (offset >= VIRTIO_NOTIFY_OFF && offset < VIRTIO_NOTIFY_OFF + VIRTIO_NOTIFY_MULT * (uint32_t)dev->nqueues) {
		/* Without VIRTIO_F_NOTIFICATION_DATA the value written is the queue index (4.1.5.2). */
		unsigned q = (offset - VIRTIO_NOTIFY_OFF) / VIRTIO_NOTIFY_MULT;
		if (value != q)
			sim_trace(dev->name, "notify for queue %u at queue %u's address", value, q);
		else if (virtio_queue_ready(dev, q) && !(dev->status & VIRTIO_STATUS_NEEDS_RESET))
			dev->ops->queue_notify(dev, q);
	} else if (offset >= VIRTIO_DEVICE_CFG_OFF && offset + size <= VIRTIO_DEVICE_CFG_OFF + dev->config_len &&
		   dev->ops->config_write) {
		dev->ops->config_write(dev, offset - VIRTIO_DEVICE_CFG_OFF, size, value);
	} else {
		sim_trace(dev->name, "%u-byte write 0x%x at read-only or unused register 0x%x", size, value, offset);
	}
	pthread_mutex_unlock(&dev->lock);
}

/* ---- virtqueues ------------------------------------------------------------------------ */

int virtio_queue_ready(struct virtio_dev *dev, unsigned q)
{
	return q < dev->nqueues && dev->vq[q].enabled && (dev->status & VIRTIO_STATUS_DRIVER_OK);
}

static uint8_t *guest(struct virtio_dev *dev, uint64_t addr, uint64_t len)
{
	if (len > SIZE_MAX || addr + len < addr)
		return NULL;
	return sim_phys_ptr(dev->m, addr, (size_t)len);
}

/* Reads descriptor `i` of a table of `n` entries at `table`. */
static int read_desc(struct virtio_dev *dev, uint64_t table, unsigned n, unsigned i, uint64_t *addr, uint32_t *len,
		     uint16_t *flags, uint16_t *next)
{
	if (i >= n)
		return -1;
	const uint8_t *d = guest(dev, table + (uint64_t)i * DESC_SIZE, DESC_SIZE);
	if (!d)
		return -1;
	*addr = ld64(d);
	*len = ld32(d + 8);
	*flags = ld16(d + 12);
	*next = ld16(d + 14);
	return 0;
}

static const char *add_seg(struct virtio_dev *dev, struct virtio_elem *elem, uint64_t addr, uint32_t len,
			   uint16_t flags)
{
	uint8_t *p = guest(dev, addr, len ? len : 1);
	if (!p)
		return "descriptor buffer outside guest RAM";
	int in = flags & VIRTQ_DESC_F_WRITE;
	if (!in && elem->nin)
		return "device-readable descriptor after a device-writable one";
	unsigned *count = in ? &elem->nin : &elem->nout;
	if (*count >= VIRTIO_ELEM_MAX_SEGS)
		return "descriptor chain too long";
	struct virtio_seg *seg = in ? &elem->in[*count] : &elem->out[*count];
	seg->p = p;
	seg->len = len;
	++*count;
	return NULL;
}

/* Walks a chain from `head` (2.7.5), following one indirect table (2.7.5.3). */
static const char *walk_chain(struct virtio_dev *dev, struct virtio_queue *vq, uint16_t head, struct virtio_elem *elem)
{
	uint64_t table = vq->desc, addr;
	unsigned n = vq->size, i = head, steps = 0;
	uint32_t len;
	uint16_t flags, next;
	int indirect = 0;
	for (;;) {
		if (read_desc(dev, table, n, i, &addr, &len, &flags, &next))
			return "descriptor index out of range";
		if (flags & VIRTQ_DESC_F_INDIRECT) {
			if (indirect || !(dev->guest_features >> VIRTIO_F_INDIRECT_DESC & 1) || len % DESC_SIZE || !len)
				return "bad indirect descriptor";
			table = addr;
			n = len / DESC_SIZE;
			i = 0;
			indirect = 1;
			steps = 0;
			continue;
		}
		const char *err = add_seg(dev, elem, addr, len, flags);
		if (err)
			return err;
		if (!(flags & VIRTQ_DESC_F_NEXT))
			return NULL;
		if (++steps >= n)
			return "descriptor chain loops";
		i = next;
	}
}

/* With VIRTIO_F_RING_EVENT_IDX the device asks to be notified once the driver makes entry
 * last_avail available (used->avail_event, 2.7.10); written after every look at the ring. */
static void set_avail_event(struct virtio_dev *dev, struct virtio_queue *vq)
{
	if (!(dev->guest_features >> VIRTIO_F_RING_EVENT_IDX & 1))
		return;
	uint8_t *used = guest(dev, vq->used, USED_RING + (uint64_t)USED_ELEM_SIZE * vq->size + 2);
	if (used)
		st16(used + USED_RING + USED_ELEM_SIZE * vq->size, vq->last_avail);
	atomic_thread_fence(memory_order_seq_cst); /* avail_event written before avail->idx is read again */
}

int virtio_queue_pop(struct virtio_dev *dev, unsigned q, struct virtio_elem *elem)
{
	if (!virtio_queue_ready(dev, q) || (dev->status & VIRTIO_STATUS_NEEDS_RESET))
		return 0;
	struct virtio_queue *vq = &dev->vq[q];
	uint8_t *avail = guest(dev, vq->avail, AVAIL_RING + 2u * vq->size + 2);
	if (!avail) {
		set_needs_reset(dev, "available ring outside guest RAM", q);
		return -1;
	}
	/* Acquire: the ring entry and descriptors are read after the index that covers them. */
	uint16_t idx = atomic_load_explicit((_Atomic uint16_t *)(avail + 2), memory_order_acquire);
	uint16_t pending = (uint16_t)(idx - vq->last_avail);
	if (pending == 0) {
		set_avail_event(dev, vq);
		/* The driver may have made more available before it saw the new avail_event. */
		idx = atomic_load_explicit((_Atomic uint16_t *)(avail + 2), memory_order_acquire);
		pending = (uint16_t)(idx - vq->last_avail);
		if (pending == 0)
			return 0;
	}
	if (pending > vq->size) {
		set_needs_reset(dev, "available index ran ahead by more than the queue size", q);
		return -1;
	}
	uint16_t head = ld16(avail + AVAIL_RING + 2u * (vq->last_avail % vq->size));
	elem->head = head;
	elem->nin = elem->nout = 0;
	const char *err = walk_chain(dev, vq, head, elem);
	if (err) {
		set_needs_reset(dev, err, q);
		return -1;
	}
	vq->last_avail++;
	set_avail_event(dev, vq);
	return 1;
}

/* Applies a requested misbehaviour to the used element being written (tests only). */
static void apply_fault(struct virtio_dev *dev, struct virtio_queue *vq, uint32_t *id, uint32_t *len,
			uint16_t *idx_step, uint32_t in_size)
{
	if (dev->fault == VIRTIO_FAULT_NONE || dev->completions < dev->fault_after)
		return;
	switch (dev->fault) {
	case VIRTIO_FAULT_USED_IDX_JUMP: *idx_step = (uint16_t)(vq->size + 3); break;
	case VIRTIO_FAULT_BAD_ID: *id = vq->size + 7u; break;
	case VIRTIO_FAULT_BAD_LEN: *len = in_size + 4096; break;
	default: break;
	}
	sim_trace(dev->name, "fault injected into queue completion (kind %d)", (int)dev->fault);
	if (!dev->fault_repeat)
		dev->fault = VIRTIO_FAULT_NONE;
}

void virtio_queue_push(struct virtio_dev *dev, unsigned q, const struct virtio_elem *elem, uint32_t len)
{
	struct virtio_queue *vq = &dev->vq[q];
	uint8_t *used = guest(dev, vq->used, USED_RING + (uint64_t)USED_ELEM_SIZE * vq->size + 2);
	if (!used) {
		set_needs_reset(dev, "used ring outside guest RAM", q);
		return;
	}
	uint32_t id = elem->head;
	uint16_t step = 1;
	apply_fault(dev, vq, &id, &len, &step, virtio_elem_in_size(elem));
	dev->completions++;
	uint8_t *e = used + USED_RING + USED_ELEM_SIZE * (vq->used_idx % vq->size);
	st32(e, id);
	st32(e + 4, len);
	vq->used_idx = (uint16_t)(vq->used_idx + step);
	/* Release: the element is visible before the index that publishes it (2.7.8.2). */
	atomic_store_explicit((_Atomic uint16_t *)(used + 2), vq->used_idx, memory_order_release);
}

/* 2.7.10: with VIRTIO_F_RING_EVENT_IDX the driver asks to be interrupted once used->idx
 * passes avail->used_event; without it, unless avail->flags has NO_INTERRUPT. */
void virtio_queue_notify(struct virtio_dev *dev, unsigned q)
{
	struct virtio_queue *vq = &dev->vq[q];
	uint8_t *avail = guest(dev, vq->avail, AVAIL_RING + 2u * vq->size + 2);
	if (!avail)
		return;
	atomic_thread_fence(memory_order_seq_cst); /* used->idx written before used_event is read */
	int send;
	if (dev->guest_features >> VIRTIO_F_RING_EVENT_IDX & 1) {
		uint16_t event = ld16(avail + AVAIL_RING + 2u * vq->size);
		uint16_t old = vq->signalled_used, now = vq->used_idx;
		send = !vq->signalled_valid || (uint16_t)(now - event - 1) < (uint16_t)(now - old);
	} else {
		send = !(ld16(avail) & VIRTQ_AVAIL_F_NO_INTERRUPT);
	}
	vq->signalled_used = vq->used_idx;
	vq->signalled_valid = 1;
	if (send)
		interrupt(dev, ISR_QUEUE, vq->msix_vector);
}

/* Copies between buf and segments [skip, skip+len) of a chain, either way. */
static uint32_t segs_copy(const struct virtio_seg *segs, unsigned n, uint32_t skip, uint8_t *buf, uint32_t len,
			  int into_segs)
{
	uint32_t done = 0;
	for (unsigned i = 0; i < n && done < len; i++) {
		const struct virtio_seg *s = &segs[i];
		if (skip >= s->len) {
			skip -= s->len;
			continue;
		}
		uint32_t k = s->len - skip < len - done ? s->len - skip : len - done;
		if (into_segs)
			memcpy(s->p + skip, buf + done, k);
		else
			memcpy(buf + done, s->p + skip, k);
		done += k;
		skip = 0;
	}
	return done;
}

uint32_t virtio_elem_read(const struct virtio_elem *elem, uint32_t skip, uint8_t *buf, uint32_t len)
{
	return segs_copy(elem->out, elem->nout, skip, buf, len, 0);
}

uint32_t virtio_elem_write(const struct virtio_elem *elem, uint32_t skip, const uint8_t *buf, uint32_t len)
{
	return segs_copy(elem->in, elem->nin, skip, (uint8_t *)buf, len, 1);
}

uint32_t virtio_elem_in_size(const struct virtio_elem *elem)
{
	uint32_t total = 0;
	for (unsigned i = 0; i < elem->nin; i++)
		total += elem->in[i].len;
	return total;
}

/* ---- the PCI function --------------------------------------------------------------- */

static void add_virtio_cap(struct virtio_dev *dev, uint8_t type, uint32_t offset, uint32_t length)
{
	uint8_t len = type == VIRTIO_PCI_CAP_NOTIFY_CFG ? CAP_NOTIFY_LEN : CAP_LEN;
	int at = pci_device_add_capability(&dev->pci, PCI_CAP_ID_VNDR, len);
	if (at < 0)
		return;
	uint8_t *c = dev->pci.config + at;
	c[2] = len; /* cap_len */
	c[CAP_OFF_CFG_TYPE] = type;
	c[CAP_OFF_BAR] = VIRTIO_BAR_REGS;
	st32(c + CAP_OFF_OFFSET, offset);
	st32(c + CAP_OFF_LENGTH, length);
	if (type == VIRTIO_PCI_CAP_NOTIFY_CFG)
		st32(c + CAP_OFF_NOTIFY_MULT, VIRTIO_NOTIFY_MULT);
}

/* MSI-X capability: table at BAR1 offset 0, PBA at BAR1 + MSIX_PBA_START; Message Control's
 * enable and function-mask bits are the guest's to write (6.8.2.3). */
static void add_msix_cap(struct virtio_dev *dev)
{
	int at = pci_device_add_capability(&dev->pci, PCI_CAP_ID_MSIX, MSIX_CAP_LEN);
	if (at < 0)
		return;
	dev->msix_cap = at;
	uint8_t *c = dev->pci.config + at;
	st16(c + MSIX_CTRL, VIRTIO_MSIX_VECTORS - 1); /* table size, N-1 encoded */
	st32(c + MSIX_TABLE_OFF, VIRTIO_BAR_MSIX);
	st32(c + MSIX_PBA_OFF, MSIX_PBA_START | VIRTIO_BAR_MSIX);
	dev->pci.wmask[at + MSIX_CTRL + 1] = (MSIX_CTRL_ENABLE | MSIX_CTRL_MASKALL) >> 8;
}

int virtio_dev_init(struct virtio_dev *dev, struct pci_bus *bus, uint8_t devfn, uint32_t class_code, int irq_line)
{
	static const struct sim_io_ops regs_ops = { virtio_dev_read, virtio_dev_write };
	if (dev->nqueues > VIRTIO_MAX_QUEUES || dev->config_len > VIRTIO_CONFIG_MAX || !dev->ops)
		return -EINVAL;
	pthread_mutex_init(&dev->lock, NULL);
	dev->m = bus->m;
	dev->host_features |= 1ull << VIRTIO_F_VERSION_1;
	int rc = pci_device_add(bus, &dev->pci, devfn, VIRTIO_PCI_VENDOR, VIRTIO_PCI_DEVICE_BASE + dev->device_id,
				class_code, VIRTIO_PCI_REVISION, irq_line);
	if (!rc)
		rc = pci_device_set_bar(&dev->pci, VIRTIO_BAR_REGS, PCI_BAR_IO, VIRTIO_REGS_SIZE, 0, &regs_ops, NULL, dev);
	if (!rc)
		rc = pci_device_set_bar(&dev->pci, VIRTIO_BAR_MSIX, PCI_BAR_MEM32, VIRTIO_MSIX_BAR_SIZE, 0, NULL,
					dev->msix_mem, dev);
	if (rc)
		return rc;
	pci_config_set16(&dev->pci, PCI_SUBSYSTEM_VENDOR, VIRTIO_PCI_VENDOR);
	pci_config_set16(&dev->pci, PCI_SUBSYSTEM_VENDOR + 2, dev->device_id);
	add_virtio_cap(dev, VIRTIO_PCI_CAP_COMMON_CFG, VIRTIO_COMMON_OFF, COMMON_SIZE);
	add_virtio_cap(dev, VIRTIO_PCI_CAP_NOTIFY_CFG, VIRTIO_NOTIFY_OFF, VIRTIO_NOTIFY_MULT * dev->nqueues);
	add_virtio_cap(dev, VIRTIO_PCI_CAP_ISR_CFG, VIRTIO_ISR_OFF, 1);
	if (dev->config_len)
		add_virtio_cap(dev, VIRTIO_PCI_CAP_DEVICE_CFG, VIRTIO_DEVICE_CFG_OFF, dev->config_len);
	add_msix_cap(dev);
	for (unsigned v = 0; v < VIRTIO_MSIX_VECTORS; v++)
		st32(dev->msix_mem + MSIX_ENTRY_SIZE * v + MSIX_ENTRY_CTRL, MSIX_ENTRY_CTRL_MASKED);
	pthread_mutex_lock(&dev->lock);
	virtio_dev_reset(dev);
	pthread_mutex_unlock(&dev->lock);
	return 0;
}

void virtio_dev_firmware_setup(struct virtio_dev *dev, uint16_t io_base, uint32_t mem_base)
{
	pci_firmware_setup(&dev->pci, VIRTIO_BAR_REGS, io_base);
	pci_firmware_setup(&dev->pci, VIRTIO_BAR_MSIX, mem_base);
}
