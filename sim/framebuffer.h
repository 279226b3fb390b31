/*
 * A linear framebuffer, as a UEFI machine's Graphics Output Protocol (or a VBE BIOS) leaves
 * it for the operating system: width x height pixels of 32 bits, x8r8g8b8 (blue in bits
 * 0-7, green 8-15, red 16-23, little-endian: bytes B, G, R, X), or of 24 bits, r8g8b8
 * (bytes B, G, R: what OVMF's 800x600 mode under QEMU is), rows `pitch` bytes apart, plain
 * memory at FB_PHYS. There is no VGA text mode beside it, as on a UEFI machine.
 */
#ifndef RTJS_SIM_FRAMEBUFFER_H
#define RTJS_SIM_FRAMEBUFFER_H

#include <stdint.h>

#include "machine.h"

/* Where QEMU's standard VGA (Bochs VBE) places its linear framebuffer BAR by default;
 * below the simulator's MSI-X tables at 0xFEB00000 for every size allowed. */
#define FB_PHYS 0xfd000000ull
#define FB_BPP_DEFAULT 32
#define FB_MIN_SIDE 64
#define FB_MAX_WIDTH 1920
#define FB_MAX_HEIGHT 1200

struct fb_state {
	uint8_t *mem;
	unsigned width, height, pitch, bpp;
};

/* Registers the memory with the machine: 0, -EINVAL for a size outside the limits above,
 * -ENOMEM. */
int fb_init(struct fb_state *s, struct sim_machine *m, unsigned width, unsigned height, unsigned bpp);
void fb_destroy(struct fb_state *s);
/* "WxH" or "WxHxBPP" (BPP 24 or 32, default 32): 0, or -EINVAL. */
int fb_parse_size(const char *spec, unsigned *width, unsigned *height, unsigned *bpp);
/* The picture as RGBA (width*height*4 bytes, R,G,B,A order). */
void fb_render(void *fb_state, uint8_t *rgba, int blink_on);
/* Writes the picture as a PNG file; 0 or -errno. */
int fb_save_png(struct fb_state *s, const char *path);

#endif
