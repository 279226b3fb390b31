/*
 * PCI configuration mechanism #1 and type-0 headers (PCI Local Bus Specification 3.0,
 * sections 3.2.2.3.2 and 6.1-6.2.5; BAR sizing 6.2.5.1; capability lists 6.7).
 */
#include "pci.h"

#include <errno.h>
#include <string.h>

#include "trace.h"

#define CONFIG_ADDRESS_ENABLE 0x80000000u
#define CONFIG_ADDRESS_BUS(a) (((a) >> 16) & 0xff)
#define CONFIG_ADDRESS_DEVFN(a) (((a) >> 8) & 0xff)
#define CONFIG_ADDRESS_REG(a) ((a) & 0xfc)
#define CONFIG_ADDRESS_RESERVED 0x7f000003u

#define BAR_IO_FLAG 0x1
#define BAR_MEM_TYPE_64 0x4
#define BAR_MEM_PREFETCH 0x8
#define BAR_IO_ADDR_MASK 0xfffffffcu
#define BAR_MEM_ADDR_MASK 0xfffffff0u
#define PORT_SPACE_END 0x10000
#define CAP_FIRST_OFFSET 0x40
#define CAP_ALIGN 4
#define INTERRUPT_PIN_INTA 1

#define INTEL_VENDOR 0x8086
#define I440FX_DEVICE 0x1237
#define PIIX3_ISA_DEVICE 0x7000
#define CLASS_HOST_BRIDGE 0x060000
#define CLASS_ISA_BRIDGE 0x060100
#define I440FX_REVISION 0x02

void pci_config_set16(struct pci_device *dev, unsigned off, uint16_t v)
{
	dev->config[off] = v & 0xff;
	dev->config[off + 1] = v >> 8;
}

void pci_config_set32(struct pci_device *dev, unsigned off, uint32_t v)
{
	pci_config_set16(dev, off, v & 0xffff);
	pci_config_set16(dev, off + 2, v >> 16);
}

static uint32_t config_get(const uint8_t *space, unsigned off, unsigned size)
{
	uint32_t v = 0;
	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)space[off + i] << (8 * i);
	return v;
}

static void set_mask32(uint8_t *mask, unsigned off, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		mask[off + i] = (v >> (8 * i)) & 0xff;
}

/* ---- BAR decoding --------------------------------------------------------------- */

static uint64_t bar_address(const struct pci_device *dev, unsigned n)
{
	const struct pci_bar *bar = &dev->bars[n];
	uint32_t lo = config_get(dev->config, PCI_BAR0 + 4 * n, 4);
	if (bar->type == PCI_BAR_IO)
		return lo & BAR_IO_ADDR_MASK;
	uint64_t addr = lo & BAR_MEM_ADDR_MASK;
	if (bar->type == PCI_BAR_MEM64)
		addr |= (uint64_t)config_get(dev->config, PCI_BAR0 + 4 * (n + 1), 4) << 32;
	return addr;
}

static uint32_t bar_forward_read(void *opaque, uint32_t offset, unsigned size)
{
	struct pci_bar *bar = opaque;
	return bar->ops->read(bar->opaque, offset, size);
}

static void bar_forward_write(void *opaque, uint32_t offset, unsigned size, uint32_t value)
{
	struct pci_bar *bar = opaque;
	bar->ops->write(bar->opaque, offset, size, value);
}

static const struct sim_io_ops bar_forward_ops = { bar_forward_read, bar_forward_write };

static void bar_unmap(struct pci_device *dev, struct pci_bar *bar)
{
	if (!bar->mapped)
		return;
	if (bar->type == PCI_BAR_IO)
		sim_port_unregister(dev->bus->m, bar, (uint16_t)bar->mapped_at);
	else
		sim_mem_unregister(dev->bus->m, bar, bar->mapped_at);
	bar->mapped = 0;
}

/* The decoded ranges follow the BARs and the Command register's enables. An address of 0, or
 * an I/O range past 0xFFFF (the all-ones sizing pattern), is not decoded. */
static void bar_remap(struct pci_device *dev, unsigned n)
{
	struct pci_bar *bar = &dev->bars[n];
	uint16_t command = (uint16_t)config_get(dev->config, PCI_COMMAND, 2);
	int io = bar->type == PCI_BAR_IO;
	int enabled = command & (io ? PCI_COMMAND_IO : PCI_COMMAND_MEMORY);
	uint64_t addr = bar_address(dev, n);
	int decodable = enabled && addr && (!io || addr + bar->size <= PORT_SPACE_END);
	if (bar->mapped && decodable && bar->mapped_at == addr)
		return;
	bar_unmap(dev, bar);
	if (!decodable)
		return;
	/* The BAR itself is the region's owner key, so that unmapping finds exactly it. */
	const struct sim_io_ops *ops = bar->ops ? &bar_forward_ops : NULL;
	int rc = io ? sim_port_register(dev->bus->m, (uint16_t)addr, (uint16_t)bar->size, ops, bar)
		    : sim_mem_register(dev->bus->m, addr, bar->size, bar->mem, ops, bar);
	if (rc) {
		sim_trace("pci", "%02x.%u BAR%u at 0x%llx not decoded: %s", dev->devfn >> 3, dev->devfn & 7, n,
			  (unsigned long long)addr, strerror(-rc));
		return;
	}
	bar->mapped = 1;
	bar->mapped_at = addr;
}

static void pci_update_irq(struct pci_device *dev)
{
	uint16_t command = (uint16_t)config_get(dev->config, PCI_COMMAND, 2);
	sim_irq_set(&dev->irq, dev->irq_level && !(command & PCI_COMMAND_INTX_DISABLE));
}

static void pci_device_remap(struct pci_device *dev)
{
	for (unsigned n = 0; n < PCI_BARS; n++)
		if (dev->bars[n].type != PCI_BAR_NONE && dev->bars[n].size)
			bar_remap(dev, n);
	if (dev->irq.m)
		pci_update_irq(dev);
}

/* ---- configuration space access ------------------------------------------------- */

static void config_write(struct pci_device *dev, unsigned off, unsigned size, uint32_t v)
{
	for (unsigned i = 0; i < size; i++) {
		uint8_t byte = (v >> (8 * i)) & 0xff, o = (uint8_t)(off + i);
		dev->config[o] = (dev->config[o] & ~dev->wmask[o]) | (byte & dev->wmask[o]);
		dev->config[o] &= ~(byte & dev->w1cmask[o]); /* write one to clear */
	}
	/* Command (enables) or BARs changed: the decoded ranges follow at once. */
	if (off < PCI_BAR0 + 4 * PCI_BARS && off + size > PCI_COMMAND)
		pci_device_remap(dev);
}

static struct pci_device *config_target(struct pci_bus *bus)
{
	uint32_t a = bus->config_address;
	if (!(a & CONFIG_ADDRESS_ENABLE) || CONFIG_ADDRESS_BUS(a) != 0)
		return NULL;
	return bus->devices[CONFIG_ADDRESS_DEVFN(a)];
}

/* offset 0-3: CONFIG_ADDRESS (0xCF8); 4-7: CONFIG_DATA (0xCFC + byte offset). */
uint32_t pci_bus_read(void *opaque, uint32_t offset, unsigned size)
{
	struct pci_bus *bus = opaque;
	uint32_t v = 0xffffffffu; /* no device answers: master abort reads all ones */
	pthread_mutex_lock(&bus->lock);
	if (offset < 4) {
		if (offset == 0 && size == 4)
			v = bus->config_address;
		else
			sim_trace("pci", "%u-byte read of CONFIG_ADDRESS+%u", size, offset);
	} else {
		struct pci_device *dev = config_target(bus);
		unsigned reg = CONFIG_ADDRESS_REG(bus->config_address) + (offset - 4);
		if (dev && reg + size <= PCI_CONFIG_SIZE)
			v = config_get(dev->config, reg, size);
	}
	pthread_mutex_unlock(&bus->lock);
	return v;
}

void pci_bus_write(void *opaque, uint32_t offset, unsigned size, uint32_t value)
{
	struct pci_bus *bus = opaque;
	pthread_mutex_lock(&bus->lock);
	if (offset < 4) {
		/* Only a dword access to 0xCF8 is CONFIG_ADDRESS; 0xCF9 is the PIIX reset control. */
		if (offset == 0 && size == 4) {
			if (value & CONFIG_ADDRESS_RESERVED)
				sim_trace("pci", "CONFIG_ADDRESS 0x%08x has reserved bits set", value);
			bus->config_address = value & ~CONFIG_ADDRESS_RESERVED;
		} else {
			sim_trace("pci", "%u-byte write 0x%x to CONFIG_ADDRESS+%u ignored", size, value, offset);
		}
	} else {
		struct pci_device *dev = config_target(bus);
		unsigned reg = CONFIG_ADDRESS_REG(bus->config_address) + (offset - 4);
		if (dev && reg + size <= PCI_CONFIG_SIZE)
			config_write(dev, reg, size, value);
	}
	pthread_mutex_unlock(&bus->lock);
}

/* ---- devices -------------------------------------------------------------------- */

/* Writable bits of every type-0 header (PCI 3.0, 6.2): Command's enables, Status's error
 * bits (write one to clear), cache line size, latency timer, interrupt line. */
static void header_masks(struct pci_device *dev)
{
	dev->wmask[PCI_COMMAND] = PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | 0x40; /* parity */
	dev->wmask[PCI_COMMAND + 1] = (PCI_COMMAND_INTX_DISABLE >> 8) | 0x01; /* SERR# enable */
	dev->w1cmask[PCI_STATUS + 1] = 0xf9; /* parity, target/master abort, SERR, parity error */
	dev->wmask[0x0c] = 0xff; /* cache line size */
	dev->wmask[0x0d] = 0xff; /* latency timer */
	dev->wmask[PCI_INTERRUPT_LINE] = 0xff;
}

int pci_device_add(struct pci_bus *bus, struct pci_device *dev, uint8_t devfn, uint16_t vendor,
		   uint16_t device, uint32_t class_code, uint8_t revision, int irq_line)
{
	memset(dev, 0, sizeof *dev);
	dev->bus = bus;
	dev->devfn = devfn;
	header_masks(dev);
	pci_config_set16(dev, PCI_VENDOR_ID, vendor);
	pci_config_set16(dev, PCI_DEVICE_ID, device);
	pci_config_set32(dev, PCI_REVISION, class_code << 8 | revision);
	if (irq_line >= 0) {
		int rc = sim_irq_init(&dev->irq, bus->m, (unsigned)irq_line);
		if (rc)
			return rc;
		dev->config[PCI_INTERRUPT_LINE] = (uint8_t)irq_line;
		dev->config[PCI_INTERRUPT_PIN] = INTERRUPT_PIN_INTA;
	}
	dev->next_cap_offset = CAP_FIRST_OFFSET;
	pthread_mutex_lock(&bus->lock);
	int rc = bus->devices[devfn] ? -EBUSY : 0;
	if (!rc)
		bus->devices[devfn] = dev;
	pthread_mutex_unlock(&bus->lock);
	return rc;
}

static int bar_valid(const struct pci_device *dev, unsigned n, enum pci_bar_type type, uint64_t size)
{
	if (n >= PCI_BARS || (type == PCI_BAR_MEM64 && n + 1 >= PCI_BARS) || dev->bars[n].type != PCI_BAR_NONE)
		return 0;
	if (size == 0 || (size & (size - 1)))
		return 0;
	if (type == PCI_BAR_IO)
		return size >= 4 && size <= 256; /* PCI 3.0: I/O BARs claim at most 256 bytes */
	return size >= 16 && (type == PCI_BAR_MEM64 || size <= 0x80000000u);
}

int pci_device_set_bar(struct pci_device *dev, unsigned n, enum pci_bar_type type, uint64_t size,
		       int prefetchable, const struct sim_io_ops *ops, uint8_t *mem, void *opaque)
{
	if (!bar_valid(dev, n, type, size) || (!ops && !mem) || (type == PCI_BAR_IO && !ops))
		return -EINVAL;
	dev->bars[n] = (struct pci_bar){ type, size, prefetchable, ops, mem, opaque, 0, 0 };
	uint64_t addr_mask = ~(size - 1);
	uint32_t flags = type == PCI_BAR_IO ? BAR_IO_FLAG
			 : (type == PCI_BAR_MEM64 ? BAR_MEM_TYPE_64 : 0) | (prefetchable ? BAR_MEM_PREFETCH : 0);
	pci_config_set32(dev, PCI_BAR0 + 4 * n, flags);
	/* Sizing: address bits below the size are read-only zero, so all ones reads back the mask. */
	uint32_t low_mask = (type == PCI_BAR_IO ? BAR_IO_ADDR_MASK : BAR_MEM_ADDR_MASK) & (uint32_t)addr_mask;
	set_mask32(dev->wmask, PCI_BAR0 + 4 * n, low_mask);
	if (type == PCI_BAR_MEM64) {
		dev->bars[n + 1].type = PCI_BAR_NONE;
		set_mask32(dev->wmask, PCI_BAR0 + 4 * (n + 1), (uint32_t)(addr_mask >> 32));
	}
	return 0;
}

int pci_device_add_capability(struct pci_device *dev, uint8_t cap_id, uint8_t len)
{
	unsigned off = dev->next_cap_offset;
	if (len < 2 || off + len > PCI_CONFIG_SIZE)
		return -ENOSPC;
	dev->config[off] = cap_id;
	dev->config[off + 1] = 0; /* end of list until another is appended */
	if (dev->last_cap)
		dev->config[dev->last_cap + 1] = (uint8_t)off;
	else
		dev->config[PCI_CAPABILITIES] = (uint8_t)off;
	dev->config[PCI_STATUS] |= PCI_STATUS_CAP_LIST;
	dev->last_cap = (uint8_t)off;
	dev->next_cap_offset = (uint8_t)((off + len + CAP_ALIGN - 1) & ~(CAP_ALIGN - 1));
	return (int)off;
}

void pci_firmware_setup(struct pci_device *dev, unsigned n, uint64_t addr)
{
	if (n >= PCI_BARS || dev->bars[n].type == PCI_BAR_NONE)
		return;
	pthread_mutex_lock(&dev->bus->lock);
	int io = dev->bars[n].type == PCI_BAR_IO;
	uint32_t flags = config_get(dev->config, PCI_BAR0 + 4 * n, 4) & (io ? ~BAR_IO_ADDR_MASK : ~BAR_MEM_ADDR_MASK);
	pci_config_set32(dev, PCI_BAR0 + 4 * n, (uint32_t)addr | flags);
	if (dev->bars[n].type == PCI_BAR_MEM64)
		pci_config_set32(dev, PCI_BAR0 + 4 * (n + 1), (uint32_t)(addr >> 32));
	uint16_t command = (uint16_t)config_get(dev->config, PCI_COMMAND, 2);
	pci_config_set16(dev, PCI_COMMAND, command | (io ? PCI_COMMAND_IO : PCI_COMMAND_MEMORY));
	pci_device_remap(dev);
	pthread_mutex_unlock(&dev->bus->lock);
}

void pci_device_set_irq(struct pci_device *dev, int level)
{
	pthread_mutex_lock(&dev->bus->lock);
	dev->irq_level = level;
	if (level)
		dev->config[PCI_STATUS] |= PCI_STATUS_INTERRUPT;
	else
		dev->config[PCI_STATUS] &= ~PCI_STATUS_INTERRUPT;
	if (dev->irq.m)
		pci_update_irq(dev);
	pthread_mutex_unlock(&dev->bus->lock);
}

int pci_bus_init(struct pci_bus *bus, struct sim_machine *m)
{
	memset(bus, 0, sizeof *bus);
	pthread_mutex_init(&bus->lock, NULL);
	bus->m = m;
	int rc = pci_device_add(bus, &bus->host_bridge, PCI_DEVFN(0, 0), INTEL_VENDOR, I440FX_DEVICE,
				CLASS_HOST_BRIDGE, I440FX_REVISION, -1);
	if (!rc)
		rc = pci_device_add(bus, &bus->isa_bridge, PCI_DEVFN(1, 0), INTEL_VENDOR, PIIX3_ISA_DEVICE,
				    CLASS_ISA_BRIDGE, 0, -1);
	if (rc)
		return rc;
	/* PIIX3 is function 0 of a multi-function device (IDE, USB, ACPI on QEMU); only the ISA
	 * bridge is modelled, so the other functions read as absent. */
	bus->isa_bridge.config[PCI_HEADER_TYPE] = PCI_HEADER_MULTIFUNCTION;
	static const struct sim_io_ops ops = { pci_bus_read, pci_bus_write };
	return sim_port_register(m, PCI_CONFIG_ADDRESS_PORT, 8, &ops, bus);
}

void pci_bus_destroy(struct pci_bus *bus)
{
	for (unsigned i = 0; i < 256; i++) {
		struct pci_device *dev = bus->devices[i];
		for (unsigned n = 0; dev && n < PCI_BARS; n++)
			bar_unmap(dev, &dev->bars[n]);
	}
	pthread_mutex_destroy(&bus->lock);
}
