/*
 * Console fonts in PSF format (version 1 and 2, optionally gzip-compressed), as shipped by
 * Debian's console-data: the VGA text renderer's 8x16 code page 437 glyphs.
 */
#ifndef RTJS_SIM_FONT_H
#define RTJS_SIM_FONT_H

#include <stddef.h>
#include <stdint.h>

#define SIM_FONT_DEFAULT_PATH "/usr/share/consolefonts/default8x16.psf.gz"
#define SIM_FONT_GLYPHS 256
#define SIM_FONT_HEIGHT 16

/* 256 glyphs of 8x16 pixels, one byte per row, most significant bit leftmost. */
struct sim_font {
	uint8_t glyphs[SIM_FONT_GLYPHS][SIM_FONT_HEIGHT];
};

/* Returns 0, or -errno / -EINVAL (not PSF, not 8x16, fewer than 256 glyphs). */
int sim_font_load(struct sim_font *font, const char *path);
/* Parses an uncompressed PSF image. */
int sim_font_parse(struct sim_font *font, const uint8_t *data, size_t len);

#endif
