/*
 * PSF1: 2-byte magic 36 04, mode, bytes per glyph (height); 256 or 512 glyphs of 8 pixels'
 * width. PSF2: magic 72 B5 4A 86, then little-endian version, header size, flags, glyph
 * count, bytes per glyph, height, width. (Linux kbd, "psf.h" format description.)
 */
#include "font.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define PSF1_MAGIC0 0x36
#define PSF1_MAGIC1 0x04
#define PSF1_HEADER_SIZE 4
#define PSF2_MAGIC 0x864ab572u
#define PSF2_HEADER_MIN 32
#define FONT_FILE_MAX (64 * 1024)

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int copy_glyphs(struct sim_font *font, const uint8_t *glyphs, size_t avail)
{
	if (avail < sizeof font->glyphs)
		return -EINVAL;
	memcpy(font->glyphs, glyphs, sizeof font->glyphs);
	return 0;
}

int sim_font_parse(struct sim_font *font, const uint8_t *data, size_t len)
{
	if (len >= PSF1_HEADER_SIZE && data[0] == PSF1_MAGIC0 && data[1] == PSF1_MAGIC1) {
		if (data[3] != SIM_FONT_HEIGHT)
			return -EINVAL;
		return copy_glyphs(font, data + PSF1_HEADER_SIZE, len - PSF1_HEADER_SIZE);
	}
	if (len >= PSF2_HEADER_MIN && le32(data) == PSF2_MAGIC) {
		uint32_t header = le32(data + 8), count = le32(data + 16), bytes = le32(data + 20);
		uint32_t height = le32(data + 24), width = le32(data + 28);
		if (width != 8 || height != SIM_FONT_HEIGHT || bytes != SIM_FONT_HEIGHT ||
		    count < SIM_FONT_GLYPHS || header > len)
			return -EINVAL;
		return copy_glyphs(font, data + header, len - header);
	}
	return -EINVAL;
}

int sim_font_load(struct sim_font *font, const char *path)
{
	gzFile f = gzopen(path, "rb"); /* reads plain files too */
	if (!f)
		return errno ? -errno : -ENOENT;
	uint8_t *buf = malloc(FONT_FILE_MAX);
	int n = buf ? gzread(f, buf, FONT_FILE_MAX) : -1;
	gzclose(f);
	int rc = n < 0 ? -EIO : sim_font_parse(font, buf, (size_t)n);
	free(buf);
	return rc;
}
