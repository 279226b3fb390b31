/* The simulated PC's board (pc.h). */
#include "pc.h"

#include <stdio.h>
#include <string.h>

#include "font.h"

/* PCI slots, legacy INTx lines, I/O BARs and MSI-X BARs of the optional devices: the
 * addresses are the ones SeaBIOS would assign on QEMU's i440fx, which the drivers find by
 * reading the BARs as they do on the kernel. */
#define PCI_TESTDEV_DEVFN PCI_DEVFN(3, 0)
#define VIRTIO_NET_DEVFN PCI_DEVFN(4, 0)
#define VIRTIO_NET_IRQ 10
#define VIRTIO_NET_IO 0xc100
#define VIRTIO_NET_MSIX 0xfeb00000u
#define VIRTIO_RNG_DEVFN PCI_DEVFN(5, 0)
#define VIRTIO_RNG_IRQ 5
#define VIRTIO_RNG_IO 0xc200
#define VIRTIO_RNG_MSIX 0xfeb01000u
#define VIRTIO_BLK_DEVFN PCI_DEVFN(6, 0)
#define VIRTIO_BLK_IRQ 11
#define VIRTIO_BLK_IO 0xc300
#define VIRTIO_BLK_MSIX 0xfeb02000u

static void place_virtio(struct virtio_dev *dev, const struct sim_pc_config *cfg, uint16_t io,
			 uint32_t msix)
{
	virtio_dev_firmware_setup(dev, io, msix);
	dev->msi_send = cfg->msi_send;
}

int sim_pc_init(struct sim_pc *pc, const struct sim_pc_config *cfg)
{
	int rc = sim_machine_init(&pc->m, SIM_PC_RAM_SIZE);
	if (rc)
		return rc;
	sim_machine_set_irq_callback(&pc->m, cfg->irq_changed, NULL);
	pc->m.timers_changed = cfg->timers_changed;
	if (!rc) rc = rtc_init(&pc->rtc, &pc->m);
	if (!rc) rc = uart_init(&pc->uart, &pc->m, UART_COM1_BASE, UART_COM1_IRQ);
	if (!rc) rc = ps2_init(&pc->ps2, &pc->m);
	if (!rc && cfg->fb_width) {
		rc = fb_init(&pc->fb, &pc->m, cfg->fb_width, cfg->fb_height, cfg->fb_bpp);
		pc->has_fb = !rc;
	} else if (!rc) {
		int font_rc = vga_init(&pc->vga, &pc->m, NULL);
		if (font_rc)
			fprintf(stderr, "rtjs-sim: VGA font %s: %s (drawing boxes)\n", SIM_FONT_DEFAULT_PATH,
				strerror(-font_rc));
	}
	if (!rc) rc = pci_bus_init(&pc->pci, &pc->m);
	if (!rc && cfg->pci_testdev)
		rc = pci_testdev_init(&pc->testdev, &pc->pci, PCI_TESTDEV_DEVFN);
	if (!rc && cfg->net_mac) {
		rc = virtio_net_init(&pc->net, &pc->pci, VIRTIO_NET_DEVFN, VIRTIO_NET_IRQ, cfg->net_mac);
		if (!rc)
			place_virtio(&pc->net.vdev, cfg, VIRTIO_NET_IO, VIRTIO_NET_MSIX);
	}
	if (!rc && cfg->rng) {
		rc = virtio_rng_init(&pc->rng, &pc->pci, VIRTIO_RNG_DEVFN, VIRTIO_RNG_IRQ);
		if (!rc)
			place_virtio(&pc->rng.vdev, cfg, VIRTIO_RNG_IO, VIRTIO_RNG_MSIX);
	}
	if (!rc && cfg->disk) {
		rc = virtio_blk_init(&pc->blk, &pc->pci, VIRTIO_BLK_DEVFN, VIRTIO_BLK_IRQ, cfg->disk_sectors,
				     cfg->disk_read_only);
		if (!rc)
			place_virtio(&pc->blk.vdev, cfg, VIRTIO_BLK_IO, VIRTIO_BLK_MSIX);
	}
	return rc;
}

static void render_vga(void *state, uint8_t *rgba, int blink_on)
{
	vga_render(state, rgba, blink_on);
}

struct sim_screen sim_pc_screen(struct sim_pc *pc)
{
	if (pc->has_fb)
		return (struct sim_screen){ pc->fb.width, pc->fb.height, fb_render, &pc->fb };
	return (struct sim_screen){ VGA_WIDTH, VGA_HEIGHT, render_vga, &pc->vga };
}

int sim_pc_save_screen(struct sim_pc *pc, const char *path)
{
	return pc->has_fb ? fb_save_png(&pc->fb, path) : vga_save_png(&pc->vga, path);
}
