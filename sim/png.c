/* Screenshots (the VGA screen, the framebuffer) with libpng. */
#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>

#include "screenshot.h"
#include "vga.h"

static int write_png(FILE *f, const uint8_t *rgba, unsigned width, unsigned height)
{
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	if (!info) {
		png_destroy_write_struct(&png, NULL);
		return -ENOMEM;
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		return -EIO;
	}
	png_init_io(png, f);
	png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_RGBA, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (unsigned y = 0; y < height; y++)
		png_write_row(png, (png_const_bytep)(rgba + (size_t)y * width * 4));
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	return 0;
}

int sim_png_write(const char *path, const uint8_t *rgba, unsigned width, unsigned height)
{
	FILE *f = fopen(path, "wb");
	int rc = f ? write_png(f, rgba, width, height) : -errno;
	if (f && fclose(f) && !rc)
		rc = -errno;
	return rc;
}

int vga_save_png(struct vga_state *s, const char *path)
{
	uint8_t *rgba = malloc((size_t)VGA_WIDTH * VGA_HEIGHT * 4);
	if (!rgba)
		return -ENOMEM;
	vga_render(s, rgba, 1);
	int rc = sim_png_write(path, rgba, VGA_WIDTH, VGA_HEIGHT);
	free(rgba);
	return rc;
}
