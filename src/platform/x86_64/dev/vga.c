#include "dev/vga.h"
#include <stdint.h>
#include "cpu/cpu.h"
#include "mm/paging.h"

#define VGA_TEXT_PHYS 0xb8000
#define VGA_COLS 80
#define VGA_ROWS 25
#define VGA_ATTR 0x07 /* light grey on black */
#define CRTC_INDEX 0x3d4
#define CRTC_DATA 0x3d5
#define CRTC_CURSOR_HI 0x0e
#define CRTC_CURSOR_LO 0x0f

static volatile uint16_t *screen;
static unsigned row, col;

void vga_init(void)
{
	/* The boot tables and the final direct map both cover the first 2 MiB. */
	screen = (volatile uint16_t *)phys_to_virt(VGA_TEXT_PHYS);
	for (unsigned i = 0; i < VGA_COLS * VGA_ROWS; i++)
		screen[i] = (VGA_ATTR << 8) | ' ';
	row = col = 0;
}

static void scroll(void)
{
	for (unsigned i = 0; i < VGA_COLS * (VGA_ROWS - 1); i++)
		screen[i] = screen[i + VGA_COLS];
	for (unsigned i = 0; i < VGA_COLS; i++)
		screen[VGA_COLS * (VGA_ROWS - 1) + i] = (VGA_ATTR << 8) | ' ';
	row = VGA_ROWS - 1;
}

static void put(char c)
{
	if (c == '\n') {
		col = 0;
		if (++row == VGA_ROWS)
			scroll();
		return;
	}
	if (c == '\r')
		return;
	screen[row * VGA_COLS + col] = (uint16_t)((VGA_ATTR << 8) | (uint8_t)c);
	if (++col == VGA_COLS) {
		col = 0;
		if (++row == VGA_ROWS)
			scroll();
	}
}

static void move_cursor(void)
{
	unsigned pos = row * VGA_COLS + col;
	outb(CRTC_INDEX, CRTC_CURSOR_HI);
	outb(CRTC_DATA, (uint8_t)(pos >> 8));
	outb(CRTC_INDEX, CRTC_CURSOR_LO);
	outb(CRTC_DATA, (uint8_t)pos);
}

void vga_write(const char *s, size_t n)
{
	if (!screen)
		return;
	for (size_t i = 0; i < n; i++)
		put(s[i]);
	move_cursor();
}
