/*
 * The shared model of a virtio 1.x PCI device ("modern" interface, OASIS VIRTIO 1.2,
 * section 4.1) with split virtqueues (section 2.7). A device model (virtio-net.c,
 * virtio-rng.c, virtio-blk.c ...) embeds a struct virtio_dev, fills in its ops and its
 * device-specific configuration bytes, and calls virtio_dev_init; this file provides the
 * PCI function, the capabilities, the common configuration registers, the ISR, the
 * notification area, INTx and MSI-X, and the virtqueue helpers below.
 *
 * Register layout (all in BAR0, an I/O BAR: the virtio capabilities may point at I/O or
 * memory BARs, 4.1.4; an I/O BAR needs no MMIO path in the simulator):
 *   0x00 common configuration (4.1.4.3), 0x40 ISR status (4.1.4.5),
 *   0x44 notifications (4.1.4.4; notify_off_multiplier 2, queue n at 0x44 + 2n),
 *   0x80 device-specific configuration (up to VIRTIO_CONFIG_MAX bytes).
 * BAR1: the MSI-X table and pending-bit array (PCI 3.0, 6.8.2), plain memory the driver maps
 * (the device reads an entry when it sends; a masked vector's message is only marked pending
 * in the PBA, and sent with the next message on that vector once unmasked).
 *
 * Locking: every field is under `lock`. The ops are called with it held. The virtqueue
 * helpers must be called with it held. INTx and MSI-X deliveries take the PCI bus lock and
 * the machine's IRQ lock after it (device lock first, as for every sim/ device).
 *
 * A driver that breaks the rules (a descriptor outside guest RAM, a loop in a chain, an
 * available index that runs ahead by more than the queue size) puts the device in
 * DEVICE_NEEDS_RESET (2.1.1) with a configuration-change interrupt and a trace point; the
 * device does nothing more until it is reset.
 */
#ifndef RTJS_SIM_VIRTIO_H
#define RTJS_SIM_VIRTIO_H

#include <pthread.h>
#include <stdint.h>

#include "machine.h"
#include "pci.h"

#define VIRTIO_PCI_VENDOR 0x1af4      /* Red Hat, Inc. (4.1.2) */
#define VIRTIO_PCI_DEVICE_BASE 0x1040 /* modern devices: 0x1040 + virtio device id (4.1.2.1) */
#define VIRTIO_PCI_REVISION 1         /* non-transitional (4.1.2.1) */

/* Device ids (5, "Device Types"). */
#define VIRTIO_ID_NET 1
#define VIRTIO_ID_BLOCK 2
#define VIRTIO_ID_RNG 4

/* Device status bits (2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE 0x01
#define VIRTIO_STATUS_DRIVER 0x02
#define VIRTIO_STATUS_DRIVER_OK 0x04
#define VIRTIO_STATUS_FEATURES_OK 0x08
#define VIRTIO_STATUS_NEEDS_RESET 0x40
#define VIRTIO_STATUS_FAILED 0x80

/* Feature bits common to every device (6). */
#define VIRTIO_F_INDIRECT_DESC 28
#define VIRTIO_F_RING_EVENT_IDX 29
#define VIRTIO_F_VERSION_1 32

/* Descriptor flags (2.7.5). */
#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2
#define VIRTQ_DESC_F_INDIRECT 4
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1 /* 2.7.7 */

#define VIRTIO_MSI_NO_VECTOR 0xffff /* 4.1.4.3 */
#define VIRTIO_MAX_QUEUES 8
#define VIRTIO_QUEUE_MAX_SIZE 256
#define VIRTIO_CONFIG_MAX 64
#define VIRTIO_ELEM_MAX_SEGS 64 /* longest descriptor chain the models accept */

#define VIRTIO_BAR_REGS 0
#define VIRTIO_BAR_MSIX 1
#define VIRTIO_REGS_SIZE 256
#define VIRTIO_COMMON_OFF 0x00
#define VIRTIO_ISR_OFF 0x40
#define VIRTIO_NOTIFY_OFF 0x44
#define VIRTIO_NOTIFY_MULT 2
#define VIRTIO_DEVICE_CFG_OFF 0x80
#define VIRTIO_MSIX_VECTORS (VIRTIO_MAX_QUEUES + 1)
#define VIRTIO_MSIX_BAR_SIZE 0x1000

struct virtio_dev;

struct virtio_ops {
	/* The driver wrote queue `q`'s index to its notification address. */
	void (*queue_notify)(struct virtio_dev *dev, unsigned q);
	/* The device is being reset (status 0 written): drop device-specific state. */
	void (*reset)(struct virtio_dev *dev);
	/* The driver wrote device configuration bytes (optional; otherwise they are read-only). */
	void (*config_write)(struct virtio_dev *dev, unsigned offset, unsigned size, uint32_t value);
};

struct virtio_queue {
	uint16_t max_size, size;
	uint16_t enabled;
	uint16_t msix_vector;
	uint64_t desc, avail, used; /* guest-physical addresses */
	uint16_t last_avail;        /* next available entry the device takes */
	uint16_t used_idx;          /* the device's copy of used->idx */
	uint16_t signalled_used;    /* used_idx when the driver was last interrupted */
	int signalled_valid;
};

/* One request taken from a queue: the descriptor chain as host pointers, device-readable
 * segments (out) first, then device-writable ones (in), as 2.7.4 requires. */
struct virtio_seg {
	uint8_t *p;
	uint32_t len;
};
struct virtio_elem {
	uint16_t head;
	unsigned nout, nin;
	struct virtio_seg out[VIRTIO_ELEM_MAX_SEGS], in[VIRTIO_ELEM_MAX_SEGS];
};

/* Misbehaviour a test may ask a device to show (the driver must detect it). */
enum virtio_fault {
	VIRTIO_FAULT_NONE,
	VIRTIO_FAULT_USED_IDX_JUMP, /* used->idx advanced by more than was completed */
	VIRTIO_FAULT_BAD_ID,        /* a used element whose id is past the queue size */
	VIRTIO_FAULT_BAD_LEN,       /* a used length larger than the buffer */
};

struct virtio_dev {
	pthread_mutex_t lock;
	struct sim_machine *m;
	struct pci_device pci;
	const char *name;
	const struct virtio_ops *ops;
	uint16_t device_id;

	uint64_t host_features, guest_features;
	uint32_t dfselect, gfselect;
	uint8_t status, isr, generation;
	uint16_t queue_sel, nqueues, config_vector;
	struct virtio_queue vq[VIRTIO_MAX_QUEUES];
	uint8_t config[VIRTIO_CONFIG_MAX];
	unsigned config_len;

	/* MSI-X (PCI 3.0, 6.8.2): capability offset; BAR1's memory: table, then pending bits. */
	int msix_cap;
	uint8_t msix_mem[VIRTIO_MSIX_BAR_SIZE];
	/* Where an MSI-X message goes: the platform layer turns (address, data) into a CPU's
	 * vector. NULL: no MSI-X delivery (the capability is still there). */
	void (*msi_send)(void *ctx, uint64_t addr, uint32_t data);
	void *msi_ctx;

	enum virtio_fault fault;
	uint32_t fault_after; /* completions before the fault shows */
	int fault_repeat;     /* shows on every completion from then on, not once */
	uint64_t completions;
};

/* Makes `dev` a virtio PCI function at devfn with INTA on irq_line. Before the call: name,
 * ops, device_id, host_features (VERSION_1 is added), config/config_len; nqueues and each
 * vq[i].max_size. Returns 0 or -errno. */
int virtio_dev_init(struct virtio_dev *dev, struct pci_bus *bus, uint8_t devfn, uint32_t class_code,
		    int irq_line);
/* Programs BAR0 (I/O) at io_base and BAR1 (memory) at mem_base and enables decoding, as
 * the firmware does before an OS runs (SeaBIOS on QEMU). */
void virtio_dev_firmware_setup(struct virtio_dev *dev, uint16_t io_base, uint32_t mem_base);
uint32_t virtio_dev_read(void *opaque, uint32_t offset, unsigned size);
void virtio_dev_write(void *opaque, uint32_t offset, unsigned size, uint32_t value);

/* The driver has set DRIVER_OK and the queue is enabled: the device may use it. */
int virtio_queue_ready(struct virtio_dev *dev, unsigned q);
/* Takes the next available chain into *elem: 1, 0 if none, -1 if the driver broke a rule
 * (the device is then in NEEDS_RESET). */
int virtio_queue_pop(struct virtio_dev *dev, unsigned q, struct virtio_elem *elem);
/* Returns a chain to the driver with `len` bytes written into its device-writable part. */
void virtio_queue_push(struct virtio_dev *dev, unsigned q, const struct virtio_elem *elem, uint32_t len);
/* Interrupts the driver for queue q unless it asked not to be (event index or flags). */
void virtio_queue_notify(struct virtio_dev *dev, unsigned q);
/* The device configuration changed (2.4.2): new generation, configuration interrupt. */
void virtio_config_changed(struct virtio_dev *dev);
/* Copies up to `len` bytes from an element's device-readable part; returns the count. */
uint32_t virtio_elem_read(const struct virtio_elem *elem, uint32_t skip, uint8_t *buf, uint32_t len);
/* Copies into an element's device-writable part from `skip` on; returns the count. */
uint32_t virtio_elem_write(const struct virtio_elem *elem, uint32_t skip, const uint8_t *buf, uint32_t len);
uint32_t virtio_elem_in_size(const struct virtio_elem *elem);

#endif
