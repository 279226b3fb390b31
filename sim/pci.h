/*
 * PCI bus 0 behind configuration mechanism #1 (PCI Local Bus Specification 3.0, section
 * 3.2.2.3.2): CONFIG_ADDRESS at 0xCF8 (dword), CONFIG_DATA at 0xCFC-0xCFF (byte, word or
 * dword at an offset). Devices get type-0 configuration headers, BARs whose sizing works
 * as on hardware (write all ones, read back the mask), capability lists, and INTx lines.
 */
#ifndef RTJS_SIM_PCI_H
#define RTJS_SIM_PCI_H

#include <pthread.h>
#include <stdint.h>

#include "machine.h"

#define PCI_CONFIG_ADDRESS_PORT 0xcf8
#define PCI_CONFIG_DATA_PORT 0xcfc
#define PCI_CONFIG_SIZE 256
#define PCI_DEVFN(dev, fn) ((uint8_t)(((dev) << 3) | (fn)))
#define PCI_BARS 6

/* Configuration header offsets (PCI 3.0, figure 6-1). */
#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_REVISION 0x08
#define PCI_CLASS_PROG 0x09
#define PCI_HEADER_TYPE 0x0e
#define PCI_BAR0 0x10
#define PCI_SUBSYSTEM_VENDOR 0x2c
#define PCI_CAPABILITIES 0x34
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN 0x3d

#define PCI_COMMAND_IO 0x0001
#define PCI_COMMAND_MEMORY 0x0002
#define PCI_COMMAND_MASTER 0x0004
#define PCI_COMMAND_INTX_DISABLE 0x0400
#define PCI_STATUS_INTERRUPT 0x0008
#define PCI_STATUS_CAP_LIST 0x0010
#define PCI_HEADER_MULTIFUNCTION 0x80

enum pci_bar_type { PCI_BAR_NONE, PCI_BAR_IO, PCI_BAR_MEM32, PCI_BAR_MEM64 };

struct pci_bar {
	enum pci_bar_type type;
	uint64_t size;
	int prefetchable;
	const struct sim_io_ops *ops; /* register access (offset within the BAR) */
	uint8_t *mem;                 /* or plain memory, mappable directly */
	void *opaque;
	uint64_t mapped_at;           /* where it is decoded now */
	int mapped;
};

struct pci_bus;

struct pci_device {
	struct pci_bus *bus;
	uint8_t devfn;
	uint8_t config[PCI_CONFIG_SIZE];
	uint8_t wmask[PCI_CONFIG_SIZE];   /* bits the guest may write */
	uint8_t w1cmask[PCI_CONFIG_SIZE]; /* bits a 1 clears (status errors) */
	struct pci_bar bars[PCI_BARS];
	uint8_t last_cap, next_cap_offset;
	struct sim_irq irq;
	int irq_level;
};

struct pci_bus {
	pthread_mutex_t lock;
	struct sim_machine *m;
	uint32_t config_address;
	struct pci_device *devices[256]; /* by devfn */
	struct pci_device host_bridge, isa_bridge;
};

/* Creates bus 0 with the i440FX host bridge (00:00.0, 8086:1237) and the PIIX3 ISA bridge
 * (00:01.0, 8086:7000), as QEMU's "pc" machine has them. */
int pci_bus_init(struct pci_bus *bus, struct sim_machine *m);
void pci_bus_destroy(struct pci_bus *bus);
uint32_t pci_bus_read(void *opaque, uint32_t offset, unsigned size);
void pci_bus_write(void *opaque, uint32_t offset, unsigned size, uint32_t value);

/* Adds a device; `dev` stays owned by the caller. class_code is class<<16|subclass<<8|prog-if.
 * irq_line: the machine line INTA is routed to (written to Interrupt Line as a BIOS would),
 * or -1 for none. Returns 0, -EBUSY if devfn is taken. */
int pci_device_add(struct pci_bus *bus, struct pci_device *dev, uint8_t devfn, uint16_t vendor,
		   uint16_t device, uint32_t class_code, uint8_t revision, int irq_line);
/* Declares BAR n (size a power of two; a 64-bit BAR takes n and n+1), backed by ops or mem.
 * It is decoded once the guest programs an address and enables I/O or memory space. */
int pci_device_set_bar(struct pci_device *dev, unsigned n, enum pci_bar_type type, uint64_t size,
		       int prefetchable, const struct sim_io_ops *ops, uint8_t *mem, void *opaque);
/* Appends a capability of `len` bytes (id, next, then len-2 bytes of body, zeroed) and
 * returns its offset in configuration space, or -ENOSPC. */
int pci_device_add_capability(struct pci_device *dev, uint8_t cap_id, uint8_t len);
/* What firmware does before an OS runs (SeaBIOS on QEMU): BAR n placed at addr, and the
 * Command register's decode enable for its kind set. */
void pci_firmware_setup(struct pci_device *dev, unsigned n, uint64_t addr);
/* INTx from the device: sets Status.Interrupt; the line follows unless Command disables it. */
void pci_device_set_irq(struct pci_device *dev, int level);
/* Direct configuration access for device models (no bus lock taken). */
void pci_config_set16(struct pci_device *dev, unsigned off, uint16_t v);
void pci_config_set32(struct pci_device *dev, unsigned off, uint32_t v);

#endif
