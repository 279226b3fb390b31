#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "fake-machine.h"
#include "font.h"
#include "trace.h"
#include "vga.h"

/* Glyph 'A' (0x41) of Debian console-data's default8x16.psf (code page 437), rows 0-15. */
static const uint8_t glyph_A[16] = { 0x00, 0x00, 0x10, 0x38, 0x6c, 0xc6, 0xc6, 0xfe,
				     0xc6, 0xc6, 0xc6, 0xc6, 0x00, 0x00, 0x00, 0x00 };

struct fixture {
	struct fake_machine f;
	struct vga_state vga;
	uint8_t rgba[VGA_WIDTH * VGA_HEIGHT * 4];
};

static int setup(void **state)
{
	struct fixture *t = calloc(1, sizeof *t);
	fake_machine_init(&t->f);
	assert_int_equal(vga_init(&t->vga, &t->f.m, NULL), 0); /* the real font must load */
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *t = *state;
	vga_destroy(&t->vga);
	sim_machine_destroy(&t->f.m);
	free(t);
	return 0;
}

static const uint8_t *pixel(struct fixture *t, unsigned x, unsigned y)
{
	return t->rgba + 4 * (y * VGA_WIDTH + x);
}

static void crtc_set(struct fixture *t, uint8_t reg, uint8_t v)
{
	outb(&t->f, 0x3d4, reg);
	outb(&t->f, 0x3d5, v);
}

static void test_vga_text_memory_is_mapped_at_b8000(void **state)
{
	struct fixture *t = *state;
	uint8_t *text = sim_phys_ptr(&t->f.m, VGA_TEXT_PHYS, 4000);
	assert_ptr_equal(text, t->vga.vram);
	assert_int_equal(text[0], ' ');
	assert_int_equal(text[1], 0x07);
	assert_null(sim_phys_ptr(&t->f.m, VGA_TEXT_PHYS + VGA_TEXT_SIZE - 2, 4)); /* straddles the end */
}

static void test_vga_cursor_location_registers(void **state)
{
	struct fixture *t = *state;
	crtc_set(t, 0x0e, (3 * 80 + 7) >> 8);
	crtc_set(t, 0x0f, (3 * 80 + 7) & 0xff);
	unsigned row, col;
	int visible;
	vga_cursor(&t->vga, &row, &col, &visible);
	assert_int_equal(row, 3);
	assert_int_equal(col, 7);
	assert_true(visible);
	outb(&t->f, 0x3d4, 0x0f);
	assert_int_equal(inb(&t->f, 0x3d5), (3 * 80 + 7) & 0xff);
	crtc_set(t, 0x0a, 0x20); /* cursor disable */
	vga_cursor(&t->vga, &row, &col, &visible);
	assert_false(visible);
	sim_port_out(&t->f.m, 0x3d4, 2, 0x0e0a); /* outw: index 0x0A, data 0x0E */
	vga_cursor(&t->vga, &row, &col, &visible);
	assert_true(visible);
}

static void test_vga_renders_the_fonts_glyph_in_attribute_colours(void **state)
{
	struct fixture *t = *state;
	t->vga.vram[2 * 81] = 'A';      /* row 1, column 1 */
	t->vga.vram[2 * 81 + 1] = 0x1e; /* yellow on blue */
	crtc_set(t, 0x0a, 0x20);        /* no cursor in the picture */
	vga_render(&t->vga, t->rgba, 1);
	for (unsigned y = 0; y < 16; y++) {
		for (unsigned x = 0; x < 8; x++) {
			const uint8_t *p = pixel(t, 8 + x, 16 + y);
			int on = glyph_A[y] & (0x80 >> x);
			const uint8_t yellow[4] = { 0xff, 0xff, 0x55, 0xff }, blue[4] = { 0, 0, 0xaa, 0xff };
			if (memcmp(p, on ? yellow : blue, 4) != 0)
				fail_msg("pixel (%u,%u) of 'A' is %02x%02x%02x, want %s", x, y, p[0], p[1], p[2],
					 on ? "yellow" : "blue");
		}
	}
	assert_int_equal(pixel(t, 0, 0)[0], 0); /* blank cell: black */
}

static void test_vga_cursor_drawn_on_its_scan_lines(void **state)
{
	struct fixture *t = *state;
	crtc_set(t, 0x0e, 0);
	crtc_set(t, 0x0f, 2); /* row 0, column 2, default scan lines 14-15 */
	vga_render(&t->vga, t->rgba, 1);
	assert_int_equal(pixel(t, 16, 14)[0], 0xaa); /* light grey cursor over black */
	assert_int_equal(pixel(t, 16, 13)[0], 0x00);
	vga_render(&t->vga, t->rgba, 0); /* blink phase off */
	assert_int_equal(pixel(t, 16, 14)[0], 0x00);
}

static void test_vga_start_address_scrolls_the_picture(void **state)
{
	struct fixture *t = *state;
	t->vga.vram[2 * 80] = 0xdb; /* full block at row 1, column 0 */
	crtc_set(t, 0x0a, 0x20);
	crtc_set(t, 0x0d, 80); /* start at row 1 */
	vga_render(&t->vga, t->rgba, 1);
	assert_int_equal(pixel(t, 0, 0)[0], 0xaa);
}

static void test_vga_attribute_mode_chooses_blink_or_bright_background(void **state)
{
	struct fixture *t = *state;
	t->vga.vram[0] = ' ';
	t->vga.vram[1] = 0xc0; /* blink bit + red background */
	crtc_set(t, 0x0a, 0x20);
	vga_render(&t->vga, t->rgba, 1);
	assert_int_equal(pixel(t, 0, 0)[0], 0xaa); /* blink mode: background is red (4) */
	inb(&t->f, 0x3da);                         /* reset the flip-flop to "index" */
	outb(&t->f, 0x3c0, 0x30);                  /* index 0x10, palette enabled */
	outb(&t->f, 0x3c0, 0x04);                  /* mode control without blink */
	outb(&t->f, 0x3c0, 0x30);
	assert_int_equal(inb(&t->f, 0x3c1), 0x04);
	vga_render(&t->vga, t->rgba, 1);
	assert_int_equal(pixel(t, 0, 0)[0], 0xff); /* bright background: light red (12) */
	assert_int_equal(pixel(t, 0, 0)[1], 0x55);
}

static void test_vga_png_screenshot_is_written(void **state)
{
	struct fixture *t = *state;
	char path[] = "/tmp/rtjs-vga-test-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(vga_save_png(&t->vga, path), 0);
	FILE *f = fopen(path, "rb");
	uint8_t sig[8] = { 0 };
	assert_int_equal(fread(sig, 1, 8, f), 8);
	fclose(f);
	unlink(path);
	assert_memory_equal(sig, "\x89PNG\r\n\x1a\n", 8);
}

static void test_vga_font_parser_rejects_garbage(void **state)
{
	(void)state;
	struct sim_font font;
	const uint8_t junk[64] = { 1, 2, 3 };
	assert_int_equal(sim_font_parse(&font, junk, sizeof junk), -EINVAL);
	const uint8_t short_psf1[8] = { 0x36, 0x04, 0x00, 0x10 };
	assert_int_equal(sim_font_parse(&font, short_psf1, sizeof short_psf1), -EINVAL);
}

static void test_vga_bad_crtc_index_is_traced(void **state)
{
	struct fixture *t = *state;
	unsigned long before = sim_trace_count();
	crtc_set(t, 0x40, 1);
	assert_int_equal(inb(&t->f, 0x3d5), 0xff);
	assert_true(sim_trace_count() >= before + 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_vga_text_memory_is_mapped_at_b8000, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vga_cursor_location_registers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vga_renders_the_fonts_glyph_in_attribute_colours, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vga_cursor_drawn_on_its_scan_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vga_start_address_scrolls_the_picture, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vga_attribute_mode_chooses_blink_or_bright_background, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vga_png_screenshot_is_written, setup, teardown),
		cmocka_unit_test(test_vga_font_parser_rejects_garbage),
		cmocka_unit_test_setup_teardown(test_vga_bad_crtc_index_is_traced, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
