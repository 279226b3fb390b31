/*
 * The simulator's PCI test device: something for the PCI and resource code to find that has
 * every feature a real device may have (an I/O BAR, a 64-bit prefetchable memory BAR, a
 * capability list, INTA, DMA into guest RAM), with a register map simple enough to check.
 * It exists only in rtjs-sim. IDs: vendor 0x1234 (not assigned by the PCI-SIG; QEMU uses it
 * for its own test and teaching devices), device 0x5153.
 *
 * BAR0, 32 I/O ports (dword registers):
 *   0x00 ID       read: PCI_TESTDEV_MAGIC
 *   0x04 SCRATCH  read/write
 *   0x08 IRQ      write 1: raise INTA; write 0: lower it; read: the level
 *   0x0C DMA_ADDR guest-physical address (low 32 bits)
 *   0x10 DMA_LEN  bytes (at most 64 KiB)
 *   0x14 DMA_CMD  write 1: copy BAR2's memory to DMA_ADDR; 2: guest RAM to BAR2 memory;
 *                 read: 0 done, or 0xFFFFFFFF if the last transfer was refused
 * BAR2, 4 KiB of memory (64-bit, prefetchable), mapped directly.
 */
#ifndef RTJS_SIM_PCI_TESTDEV_H
#define RTJS_SIM_PCI_TESTDEV_H

#include "pci.h"

#define PCI_TESTDEV_VENDOR 0x1234
#define PCI_TESTDEV_DEVICE 0x5153
#define PCI_TESTDEV_MAGIC 0x7274736d /* "rtsm" */
#define PCI_TESTDEV_IRQ 11
#define PCI_TESTDEV_MEM_SIZE 4096

struct pci_testdev_state {
	pthread_mutex_t lock;
	struct sim_machine *m;
	struct pci_device pci;
	uint32_t scratch, irq, dma_addr, dma_len, dma_status;
	uint8_t mem[PCI_TESTDEV_MEM_SIZE];
};

int pci_testdev_init(struct pci_testdev_state *s, struct pci_bus *bus, uint8_t devfn);
void pci_testdev_reset(struct pci_testdev_state *s);
uint32_t pci_testdev_read(void *opaque, uint32_t offset, unsigned size);
void pci_testdev_write(void *opaque, uint32_t offset, unsigned size, uint32_t value);

#endif
