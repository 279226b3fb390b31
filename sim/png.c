/* Screenshots (the VGA screen, the framebuffer) with libpng. */
#include <dlfcn.h>
#include <errno.h>
#include <png.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "screenshot.h"
#include "trace.h"
#include "vga.h"

/* libpng is loaded at the first screenshot, not linked: most runs take none, and every start
 * would otherwise map and relocate it. */
#define PNG_FUNCS(X) X(create_write_struct) X(create_info_struct) X(destroy_write_struct) X(set_longjmp_fn) X(init_io) X(set_IHDR) X(write_info) X(write_row) X(write_end)

static struct {
#define X(name) __typeof__(png_##name) *name;
	PNG_FUNCS(X)
#undef X
	int result; /* 0 loaded, negative error */
} pl;
static pthread_once_t pl_once = PTHREAD_ONCE_INIT;

static void png_load(void)
{
	void *lib = dlopen("libpng16.so.16", RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		sim_trace("png", "cannot load libpng: %s", dlerror());
		pl.result = -ELIBACC;
		return;
	}
#define X(name)                                                             \
	pl.name = (__typeof__(pl.name))dlsym(lib, "png_" #name);               \
	if (!pl.name) {                                                       \
		sim_trace("png", "libpng lacks png_" #name);                    \
		pl.result = -ELIBACC;                                         \
		return;                                                       \
	}
	PNG_FUNCS(X)
#undef X
}

static int write_png(FILE *f, const uint8_t *rgba, unsigned width, unsigned height)
{
	pthread_once(&pl_once, png_load);
	if (pl.result)
		return pl.result;
	png_structp png = pl.create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? pl.create_info_struct(png) : NULL;
	if (!info) {
		pl.destroy_write_struct(&png, NULL);
		return -ENOMEM;
	}
	/* png_jmpbuf(png), through the loaded library */
	if (setjmp(*pl.set_longjmp_fn(png, longjmp, sizeof(jmp_buf)))) {
		pl.destroy_write_struct(&png, &info);
		return -EIO;
	}
	pl.init_io(png, f);
	pl.set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_RGBA, PNG_INTERLACE_NONE,
		    PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	pl.write_info(png, info);
	for (unsigned y = 0; y < height; y++)
		pl.write_row(png, (png_const_bytep)(rgba + (size_t)y * width * 4));
	pl.write_end(png, NULL);
	pl.destroy_write_struct(&png, &info);
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
