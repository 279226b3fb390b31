/* The simulated PC's board: which devices it has and where each sits (I/O ports, IRQ lines,
 * PCI slots, the MSI-X windows the firmware assigns), as QEMU's hw/i386/pc.c lays out its
 * PC. The platform (src/platform/hosted/devices.c) builds one from the command line's
 * options and runs it; the devices themselves are the models in this folder. */
#ifndef SIM_PC_H
#define SIM_PC_H

#include <stddef.h>
#include <stdint.h>

#include "display.h"
#include "framebuffer.h"
#include "machine.h"
#include "pci.h"
#include "pci-testdev.h"
#include "ps2.h"
#include "rtc.h"
#include "uart.h"
#include "vga.h"
#include "virtio-blk.h"
#include "virtio-net.h"
#include "virtio-rng.h"

/* Guest RAM: the DMA pool above 1 MiB (below: the BIOS area and the VGA window). */
#define SIM_PC_RAM_SIZE (64u << 20)

struct sim_pc_config {
	unsigned fb_width;       /* a linear framebuffer of this many pixels across (0: the VGA */
	unsigned fb_height;      /* text screen), high and bits per pixel, in its place */
	unsigned fb_bpp;
	int pci_testdev;         /* QEMU's pci-testdev at 00:03.0 */
	const uint8_t *net_mac;  /* virtio-net at 00:04.0 with this MAC; NULL: none */
	int rng;                 /* virtio-rng at 00:05.0 */
	int disk;                /* virtio-blk at 00:06.0 ... */
	uint64_t disk_sectors;   /* ... of this many 512-byte sectors */
	int disk_read_only;
	/* The platform's hooks, set before any device exists: an IRQ line changed level, a
	 * timer deadline moved, a virtio device sent an MSI-X message. */
	sim_irq_changed_fn irq_changed;
	void (*timers_changed)(void *ctx);
	void (*msi_send)(void *ctx, uint64_t address, uint32_t data);
};

struct sim_pc {
	struct sim_machine m;
	struct rtc_state rtc;
	struct uart_state uart; /* COM1 */
	struct ps2_state ps2;
	struct vga_state vga;
	struct fb_state fb; /* with a framebuffer, instead of the VGA text screen */
	int has_fb;
	struct pci_bus pci;
	struct pci_testdev_state testdev;
	struct virtio_net_state net;
	struct virtio_rng_state rng;
	struct virtio_blk_state blk;
};

/* Builds the board; 0 or -errno. A missing VGA font is not an error (boxes are drawn). */
int sim_pc_init(struct sim_pc *pc, const struct sim_pc_config *cfg);
/* The screen the board has (the framebuffer or the VGA text screen), for the window... */
struct sim_screen sim_pc_screen(struct sim_pc *pc);
/* ... and as a PNG file; 0 or -errno. */
int sim_pc_save_screen(struct sim_pc *pc, const char *path);

#endif
