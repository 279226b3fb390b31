#include "framebuffer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "screenshot.h"

#define X8R8G8B8_BLUE 0
#define X8R8G8B8_GREEN 1
#define X8R8G8B8_RED 2
#define OPAQUE 0xff

int fb_parse_size(const char *spec, unsigned *width, unsigned *height, unsigned *bpp)
{
	*bpp = FB_BPP_DEFAULT;
	char *end;
	unsigned long w = strtoul(spec, &end, 10);
	if (end == spec || (*end != 'x' && *end != 'X'))
		return -EINVAL;
	const char *hs = end + 1;
	unsigned long h = strtoul(hs, &end, 10);
	if (end == hs)
		return -EINVAL;
	if (*end == 'x' || *end == 'X') {
		const char *ds = end + 1;
		unsigned long d = strtoul(ds, &end, 10);
		if (end == ds || (d != 24 && d != 32))
			return -EINVAL;
		*bpp = (unsigned)d;
	}
	if (*end)
		return -EINVAL;
	if (w < FB_MIN_SIDE || h < FB_MIN_SIDE || w > FB_MAX_WIDTH || h > FB_MAX_HEIGHT)
		return -EINVAL;
	*width = (unsigned)w;
	*height = (unsigned)h;
	return 0;
}

int fb_init(struct fb_state *s, struct sim_machine *m, unsigned width, unsigned height, unsigned bpp)
{
	if (width < FB_MIN_SIDE || height < FB_MIN_SIDE || width > FB_MAX_WIDTH || height > FB_MAX_HEIGHT ||
	    (bpp != 24 && bpp != 32))
		return -EINVAL;
	s->width = width;
	s->height = height;
	s->bpp = bpp;
	s->pitch = width * (bpp / 8);
	s->mem = calloc((size_t)s->pitch * height, 1);
	if (!s->mem)
		return -ENOMEM;
	int rc = sim_mem_register(m, FB_PHYS, (uint64_t)s->pitch * height, s->mem, NULL, s);
	if (rc) {
		free(s->mem);
		s->mem = NULL;
	}
	return rc;
}

void fb_destroy(struct fb_state *s)
{
	free(s->mem);
	s->mem = NULL;
}

/* The guest writes the memory directly; a frame drawn while it writes shows part of the
 * change, as a real monitor would. */
void fb_render(void *fb_state, uint8_t *rgba, int blink_on)
{
	(void)blink_on; /* the guest draws its own cursor */
	const struct fb_state *s = fb_state;
	unsigned bytes = s->bpp / 8;
	for (unsigned y = 0; y < s->height; y++) {
		const uint8_t *src = s->mem + (size_t)y * s->pitch;
		uint8_t *dst = rgba + (size_t)y * s->width * 4;
		for (unsigned x = 0; x < s->width; x++, src += bytes, dst += 4) {
			dst[0] = src[X8R8G8B8_RED];
			dst[1] = src[X8R8G8B8_GREEN];
			dst[2] = src[X8R8G8B8_BLUE];
			dst[3] = OPAQUE;
		}
	}
}

int fb_save_png(struct fb_state *s, const char *path)
{
	uint8_t *rgba = malloc((size_t)s->width * s->height * 4);
	if (!rgba)
		return -ENOMEM;
	fb_render(s, rgba, 1);
	int rc = sim_png_write(path, rgba, s->width, s->height);
	free(rgba);
	return rc;
}
