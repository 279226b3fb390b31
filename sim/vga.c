/*
 * VGA text-mode model. CRTC registers: IBM VGA Technical Reference, "CRT Controller
 * Registers" (FreeVGA mirrors it); attribute byte: bits 0-3 foreground, 4-6 background,
 * 7 blink (attribute mode control bit 3 set by the BIOS for mode 3).
 */
#include "vga.h"

#include <errno.h>
#include <string.h>

#include "trace.h"

#define VGA_PORT_BASE 0x3c0
#define VGA_PORT_COUNT 0x20
#define PORT_ATTR_WRITE 0x00  /* 0x3C0: attribute controller index, then data (flip-flop) */
#define PORT_ATTR_READ 0x01   /* 0x3C1: attribute controller data, read */
#define PORT_MISC_READ 0x0c   /* 0x3CC: miscellaneous output, read */
#define PORT_CRTC_INDEX 0x14  /* 0x3D4 */
#define PORT_CRTC_DATA 0x15   /* 0x3D5 */
#define PORT_INPUT_STATUS1 0x1a /* 0x3DA */

#define MISC_COLOR 0x01 /* I/O at 0x3Dx (colour) */
#define MISC_MODE3 0x67 /* what the BIOS programs for mode 3 */

#define CRTC_CURSOR_START 0x0a
#define CRTC_CURSOR_END 0x0b
#define CRTC_START_HIGH 0x0c
#define CRTC_START_LOW 0x0d
#define CRTC_CURSOR_HIGH 0x0e
#define CRTC_CURSOR_LOW 0x0f
#define CURSOR_DISABLE 0x20
#define CURSOR_SCANLINE_MASK 0x1f

#define STATUS1_DISPLAY_DISABLED 0x01
#define STATUS1_VRETRACE 0x08
#define ATTR_BLINK 0x80
#define ATTR_INDEX_MASK 0x1f
#define ATTR_MODE_CONTROL 0x10
#define ATTR_MODE_BLINK 0x08 /* attribute bit 7 blinks; clear: bright backgrounds */
#define ATTR_MODE_MODE3 0x0c /* BIOS mode 3: blink, line graphics */

/* The 16 colours of the default VGA palette (DAC values of mode 3, scaled to 8 bits). */
static const uint8_t vga_palette[16][3] = {
	{ 0x00, 0x00, 0x00 }, { 0x00, 0x00, 0xaa }, { 0x00, 0xaa, 0x00 }, { 0x00, 0xaa, 0xaa },
	{ 0xaa, 0x00, 0x00 }, { 0xaa, 0x00, 0xaa }, { 0xaa, 0x55, 0x00 }, { 0xaa, 0xaa, 0xaa },
	{ 0x55, 0x55, 0x55 }, { 0x55, 0x55, 0xff }, { 0x55, 0xff, 0x55 }, { 0x55, 0xff, 0xff },
	{ 0xff, 0x55, 0x55 }, { 0xff, 0x55, 0xff }, { 0xff, 0xff, 0x55 }, { 0xff, 0xff, 0xff },
};

/* Mode 3 CRTC values a PC BIOS programs (cursor on scan lines 14-15, as the BIOS's
 * underline cursor); the timing registers are not modelled. */
static void vga_crtc_defaults(struct vga_state *s)
{
	memset(s->crtc, 0, sizeof s->crtc);
	s->crtc[CRTC_CURSOR_START] = 0x0e;
	s->crtc[CRTC_CURSOR_END] = 0x0f;
}

int vga_init(struct vga_state *s, struct sim_machine *m, const char *font_path)
{
	memset(s, 0, sizeof *s);
	pthread_mutex_init(&s->lock, NULL);
	int font_rc = sim_font_load(&s->font, font_path ? font_path : SIM_FONT_DEFAULT_PATH);
	s->font_loaded = font_rc == 0;
	if (font_rc)
		sim_trace("vga", "font %s: %s; drawing boxes", font_path ? font_path : SIM_FONT_DEFAULT_PATH,
			  strerror(-font_rc));
	vga_reset(s);
	static const struct sim_io_ops ops = { vga_read, vga_write };
	int rc = sim_port_register(m, VGA_PORT_BASE, VGA_PORT_COUNT, &ops, s);
	if (!rc)
		rc = sim_mem_register(m, VGA_TEXT_PHYS, VGA_TEXT_SIZE, s->vram, NULL, s);
	return rc ? rc : font_rc;
}

void vga_destroy(struct vga_state *s)
{
	pthread_mutex_destroy(&s->lock);
}

/* Blank screen of light grey on black, as the BIOS leaves it. */
void vga_reset(struct vga_state *s)
{
	pthread_mutex_lock(&s->lock);
	for (unsigned i = 0; i < VGA_TEXT_SIZE; i += 2) {
		s->vram[i] = ' ';
		s->vram[i + 1] = 0x07;
	}
	vga_crtc_defaults(s);
	s->crtc_index = 0;
	s->attr_index = 0;
	s->attr_data_next = 0;
	s->attr_mode = ATTR_MODE_MODE3;
	pthread_mutex_unlock(&s->lock);
}

static uint8_t vga_read_port(struct vga_state *s, uint32_t port)
{
	switch (port) {
	case PORT_MISC_READ:
		return MISC_MODE3;
	case PORT_CRTC_INDEX:
		return s->crtc_index;
	case PORT_CRTC_DATA:
		if (s->crtc_index >= VGA_CRTC_REGS) {
			sim_trace("vga", "read of CRTC register 0x%02x that does not exist", s->crtc_index);
			return 0xff;
		}
		return s->crtc[s->crtc_index];
	case PORT_INPUT_STATUS1:
		/* Alternates retrace/display so that drivers polling for retrace make progress.
		 * Reading it also resets the attribute controller's flip-flop to "index". */
		s->attr_data_next = 0;
		s->status_toggle ^= STATUS1_VRETRACE | STATUS1_DISPLAY_DISABLED;
		return s->status_toggle;
	case PORT_ATTR_WRITE:
		return s->attr_index;
	case PORT_ATTR_READ:
		if ((s->attr_index & ATTR_INDEX_MASK) == ATTR_MODE_CONTROL)
			return s->attr_mode;
		sim_trace("vga", "read of attribute register 0x%02x (only 0x10 is modelled)", s->attr_index & ATTR_INDEX_MASK);
		return 0;
	default:
		sim_trace("vga", "read of unmodelled port 0x%x", VGA_PORT_BASE + port);
		return 0xff;
	}
}

static void vga_write_attr(struct vga_state *s, uint8_t v)
{
	if (!s->attr_data_next) {
		s->attr_index = v;
	} else if ((s->attr_index & ATTR_INDEX_MASK) == ATTR_MODE_CONTROL) {
		s->attr_mode = v; /* bit 3 decides blink vs bright background at the next frame */
	} else {
		sim_trace("vga", "write 0x%02x to attribute register 0x%02x ignored (only 0x10 is modelled)", v,
			  s->attr_index & ATTR_INDEX_MASK);
	}
	s->attr_data_next = !s->attr_data_next;
}

static void vga_write_port(struct vga_state *s, uint32_t port, uint8_t v)
{
	switch (port) {
	case PORT_ATTR_WRITE:
		vga_write_attr(s, v);
		break;
	case PORT_CRTC_INDEX:
		s->crtc_index = v;
		break;
	case PORT_CRTC_DATA:
		if (s->crtc_index >= VGA_CRTC_REGS)
			sim_trace("vga", "write 0x%02x to CRTC register 0x%02x that does not exist", v, s->crtc_index);
		else
			s->crtc[s->crtc_index] = v; /* cursor and start address take effect at the next frame */
		break;
	default:
		sim_trace("vga", "write 0x%02x to unmodelled port 0x%x", v, VGA_PORT_BASE + port);
		break;
	}
}

uint32_t vga_read(void *opaque, uint32_t offset, unsigned size)
{
	struct vga_state *s = opaque;
	pthread_mutex_lock(&s->lock);
	uint32_t v = vga_read_port(s, offset);
	if (size == 2) /* a word read reads two consecutive ports */
		v |= (uint32_t)vga_read_port(s, offset + 1) << 8;
	else if (size != 1)
		sim_trace("vga", "%u-byte read at port 0x%x", size, VGA_PORT_BASE + offset);
	pthread_mutex_unlock(&s->lock);
	return v;
}

void vga_write(void *opaque, uint32_t offset, unsigned size, uint32_t value)
{
	struct vga_state *s = opaque;
	pthread_mutex_lock(&s->lock);
	/* "outw 0x3D4, (value << 8) | index" sets index and data at once: drivers rely on it. */
	vga_write_port(s, offset, value & 0xff);
	if (size == 2)
		vga_write_port(s, offset + 1, (value >> 8) & 0xff);
	else if (size != 1)
		sim_trace("vga", "%u-byte write at port 0x%x", size, VGA_PORT_BASE + offset);
	pthread_mutex_unlock(&s->lock);
}

static unsigned start_address(const struct vga_state *s)
{
	return (unsigned)s->crtc[CRTC_START_HIGH] << 8 | s->crtc[CRTC_START_LOW];
}

void vga_cursor(struct vga_state *s, unsigned *row, unsigned *col, int *visible)
{
	pthread_mutex_lock(&s->lock);
	unsigned loc = (unsigned)s->crtc[CRTC_CURSOR_HIGH] << 8 | s->crtc[CRTC_CURSOR_LOW];
	unsigned rel = loc - start_address(s); /* wraps above 2000 when before the start */
	*visible = !(s->crtc[CRTC_CURSOR_START] & CURSOR_DISABLE) && rel < VGA_COLS * VGA_ROWS;
	*row = rel / VGA_COLS;
	*col = rel % VGA_COLS;
	pthread_mutex_unlock(&s->lock);
}

static void put_pixel(uint8_t *rgba, unsigned x, unsigned y, unsigned colour)
{
	uint8_t *p = rgba + 4 * ((size_t)y * VGA_WIDTH + x);
	memcpy(p, vga_palette[colour], 3);
	p[3] = 0xff;
}

/* A missing font draws every non-blank character as an outlined box. */
static uint8_t glyph_row(const struct vga_state *s, uint8_t ch, unsigned y)
{
	if (s->font_loaded)
		return s->font.glyphs[ch][y];
	if (ch == ' ' || ch == 0)
		return 0;
	return (y == 2 || y == 13) ? 0x7e : (y > 2 && y < 13) ? 0x42 : 0;
}

static void draw_cell(const struct vga_state *s, uint8_t *rgba, unsigned row, unsigned col,
		      uint8_t ch, uint8_t attr, int blink_on)
{
	int blink_mode = s->attr_mode & ATTR_MODE_BLINK;
	unsigned fg = attr & 0x0f, bg = (attr >> 4) & (blink_mode ? 0x07 : 0x0f);
	int hidden = blink_mode && (attr & ATTR_BLINK) && !blink_on;
	for (unsigned y = 0; y < SIM_FONT_HEIGHT; y++) {
		uint8_t bits = hidden ? 0 : glyph_row(s, ch, y);
		for (unsigned x = 0; x < 8; x++)
			put_pixel(rgba, col * 8 + x, row * SIM_FONT_HEIGHT + y, (bits & (0x80 >> x)) ? fg : bg);
	}
}

static void draw_cursor(const struct vga_state *s, uint8_t *rgba, unsigned row, unsigned col, uint8_t attr)
{
	unsigned first = s->crtc[CRTC_CURSOR_START] & CURSOR_SCANLINE_MASK;
	unsigned last = s->crtc[CRTC_CURSOR_END] & CURSOR_SCANLINE_MASK;
	for (unsigned y = first; y <= last && y < SIM_FONT_HEIGHT; y++)
		for (unsigned x = 0; x < 8; x++)
			put_pixel(rgba, col * 8 + x, row * SIM_FONT_HEIGHT + y, attr & 0x0f);
}

void vga_render(struct vga_state *s, uint8_t *rgba, int blink_on)
{
	pthread_mutex_lock(&s->lock);
	unsigned start = start_address(s);
	for (unsigned row = 0; row < VGA_ROWS; row++) {
		for (unsigned col = 0; col < VGA_COLS; col++) {
			unsigned cell = ((start + row * VGA_COLS + col) * 2) % VGA_TEXT_SIZE;
			draw_cell(s, rgba, row, col, s->vram[cell], s->vram[cell + 1], blink_on);
		}
	}
	pthread_mutex_unlock(&s->lock);
	unsigned row, col;
	int visible;
	vga_cursor(s, &row, &col, &visible);
	if (visible && blink_on) {
		pthread_mutex_lock(&s->lock);
		unsigned cell = ((start + row * VGA_COLS + col) * 2) % VGA_TEXT_SIZE;
		draw_cursor(s, rgba, row, col, s->vram[cell + 1]);
		pthread_mutex_unlock(&s->lock);
	}
}
