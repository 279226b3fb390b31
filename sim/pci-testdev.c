#include "pci-testdev.h"

#include <string.h>

#include "trace.h"

#define REG_ID 0x00
#define REG_SCRATCH 0x04
#define REG_IRQ 0x08
#define REG_DMA_ADDR 0x0c
#define REG_DMA_LEN 0x10
#define REG_DMA_CMD 0x14
#define IO_BAR_SIZE 32
#define DMA_TO_RAM 1
#define DMA_FROM_RAM 2
#define DMA_MAX (64 * 1024)
#define DMA_REFUSED 0xffffffffu
#define CLASS_OTHER 0xff0000 /* "device does not fit any defined class" */
#define CAP_ID_PM 0x01       /* PCI Power Management Interface Specification 1.2 */
#define CAP_ID_VENDOR 0x09
#define CAP_PM_LEN 8
#define CAP_PM_VERSION_1_2 0x0003
#define CAP_VENDOR_LEN 8

static void pci_testdev_update_irq(struct pci_testdev_state *s)
{
	pci_device_set_irq(&s->pci, s->irq != 0);
}

/* Called with the lock held. Bus mastering must be on, as for any DMA-capable PCI device. */
static void pci_testdev_dma(struct pci_testdev_state *s, uint32_t cmd)
{
	int master = s->pci.config[PCI_COMMAND] & PCI_COMMAND_MASTER;
	uint8_t *ram = sim_phys_ptr(s->m, s->dma_addr, s->dma_len);
	if (!master || !ram || s->dma_len > PCI_TESTDEV_MEM_SIZE || (cmd != DMA_TO_RAM && cmd != DMA_FROM_RAM)) {
		sim_trace("pci-testdev", "DMA cmd %u of %u bytes at 0x%x refused (bus master %s)", cmd, s->dma_len,
			  s->dma_addr, master ? "on" : "off");
		s->dma_status = DMA_REFUSED;
		return;
	}
	if (cmd == DMA_TO_RAM)
		memcpy(ram, s->mem, s->dma_len);
	else
		memcpy(s->mem, ram, s->dma_len);
	s->dma_status = 0;
}

uint32_t pci_testdev_read(void *opaque, uint32_t offset, unsigned size)
{
	struct pci_testdev_state *s = opaque;
	if (size != 4 || offset % 4) {
		sim_trace("pci-testdev", "%u-byte read at register 0x%x (registers are dwords)", size, offset);
		return 0xffffffffu;
	}
	pthread_mutex_lock(&s->lock);
	uint32_t v;
	switch (offset) {
	case REG_ID: v = PCI_TESTDEV_MAGIC; break;
	case REG_SCRATCH: v = s->scratch; break;
	case REG_IRQ: v = s->irq; break;
	case REG_DMA_ADDR: v = s->dma_addr; break;
	case REG_DMA_LEN: v = s->dma_len; break;
	case REG_DMA_CMD: v = s->dma_status; break;
	default: v = 0; break;
	}
	pthread_mutex_unlock(&s->lock);
	return v;
}

void pci_testdev_write(void *opaque, uint32_t offset, unsigned size, uint32_t value)
{
	struct pci_testdev_state *s = opaque;
	if (size != 4 || offset % 4) {
		sim_trace("pci-testdev", "%u-byte write at register 0x%x (registers are dwords)", size, offset);
		return;
	}
	pthread_mutex_lock(&s->lock);
	switch (offset) {
	case REG_SCRATCH: s->scratch = value; break;
	case REG_IRQ: s->irq = value & 1; break; /* the line follows this bit */
	case REG_DMA_ADDR: s->dma_addr = value; break;
	case REG_DMA_LEN: s->dma_len = value > DMA_MAX ? DMA_MAX : value; break;
	case REG_DMA_CMD: pci_testdev_dma(s, value); break; /* synchronous: done when the write returns */
	default:
		sim_trace("pci-testdev", "write 0x%x to read-only or unused register 0x%x", value, offset);
		break;
	}
	pci_testdev_update_irq(s);
	pthread_mutex_unlock(&s->lock);
}

void pci_testdev_reset(struct pci_testdev_state *s)
{
	pthread_mutex_lock(&s->lock);
	s->scratch = s->irq = s->dma_addr = s->dma_len = s->dma_status = 0;
	memset(s->mem, 0, sizeof s->mem);
	pci_testdev_update_irq(s);
	pthread_mutex_unlock(&s->lock);
}

int pci_testdev_init(struct pci_testdev_state *s, struct pci_bus *bus, uint8_t devfn)
{
	memset(s, 0, sizeof *s);
	pthread_mutex_init(&s->lock, NULL);
	s->m = bus->m;
	static const struct sim_io_ops ops = { pci_testdev_read, pci_testdev_write };
	int rc = pci_device_add(bus, &s->pci, devfn, PCI_TESTDEV_VENDOR, PCI_TESTDEV_DEVICE, CLASS_OTHER, 1,
				PCI_TESTDEV_IRQ);
	if (!rc)
		rc = pci_device_set_bar(&s->pci, 0, PCI_BAR_IO, IO_BAR_SIZE, 0, &ops, NULL, s);
	if (!rc)
		rc = pci_device_set_bar(&s->pci, 2, PCI_BAR_MEM64, PCI_TESTDEV_MEM_SIZE, 1, NULL, s->mem, s);
	if (rc)
		return rc;
	int pm = pci_device_add_capability(&s->pci, CAP_ID_PM, CAP_PM_LEN);
	int vendor = pci_device_add_capability(&s->pci, CAP_ID_VENDOR, CAP_VENDOR_LEN);
	if (pm < 0 || vendor < 0)
		return pm < 0 ? pm : vendor;
	pci_config_set16(&s->pci, (unsigned)pm + 2, CAP_PM_VERSION_1_2);
	s->pci.config[vendor + 2] = CAP_VENDOR_LEN; /* vendor-specific: byte 2 is the length */
	return 0;
}
