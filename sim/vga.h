/*
 * VGA in 80x25 colour text mode: text memory at 0xB8000 (character byte, attribute byte),
 * CRT controller index/data at 0x3D4/0x3D5 (cursor shape and location, start address), input
 * status 1 at 0x3DA, the attribute controller's mode register (blink or bright backgrounds)
 * at 0x3C0/0x3C1. Rendered into a 640x400 RGBA image with an 8x16 font.
 */
#ifndef RTJS_SIM_VGA_H
#define RTJS_SIM_VGA_H

#include <pthread.h>
#include <stdint.h>

#include "font.h"
#include "machine.h"

#define VGA_TEXT_PHYS 0xb8000
#define VGA_TEXT_SIZE 0x8000 /* 32 KiB window up to 0xBFFFF */
#define VGA_COLS 80
#define VGA_ROWS 25
#define VGA_WIDTH (VGA_COLS * 8)
#define VGA_HEIGHT (VGA_ROWS * SIM_FONT_HEIGHT)
#define VGA_CRTC_REGS 0x19

struct vga_state {
	pthread_mutex_t lock; /* registers only: text memory is written directly by the guest */
	uint8_t vram[VGA_TEXT_SIZE];
	uint8_t crtc_index;
	uint8_t crtc[VGA_CRTC_REGS];
	uint8_t status_toggle; /* input status 1 retrace bits alternate on each read */
	uint8_t attr_index;    /* attribute controller: index (with bit 5 "palette enabled") */
	int attr_data_next;    /* its flip-flop: the next 0x3C0 write is data; reset by reading 0x3DA */
	uint8_t attr_mode;     /* attribute mode control (index 0x10) */
	struct sim_font font;
	int font_loaded;
};

/* Loads the font from font_path (NULL: SIM_FONT_DEFAULT_PATH); returns its error, but the
 * device works without it (glyphs are drawn as boxes) so the simulator still runs. */
int vga_init(struct vga_state *s, struct sim_machine *m, const char *font_path);
void vga_reset(struct vga_state *s);
void vga_destroy(struct vga_state *s);
uint32_t vga_read(void *opaque, uint32_t offset, unsigned size);
void vga_write(void *opaque, uint32_t offset, unsigned size, uint32_t value);
/* Cursor cell (0-1999 on screen) from CRTC 0x0E/0x0F relative to the start address, and
 * whether it is shown (CRTC 0x0A bit 5 clear). */
void vga_cursor(struct vga_state *s, unsigned *row, unsigned *col, int *visible);
/* Draws the screen into rgba (VGA_WIDTH*VGA_HEIGHT*4 bytes, R,G,B,A order). blink_on:
 * phase of blinking characters and of the cursor. */
void vga_render(struct vga_state *s, uint8_t *rgba, int blink_on);
/* Renders and writes a PNG file; returns 0 or -errno. */
int vga_save_png(struct vga_state *s, const char *path);

#endif
