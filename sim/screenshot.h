/* PNG files of a rendered screen (libpng). */
#ifndef RTJS_SIM_SCREENSHOT_H
#define RTJS_SIM_SCREENSHOT_H

#include <stdint.h>

/* rgba: width*height pixels, R,G,B,A bytes, rows top to bottom. 0 or -errno. */
int sim_png_write(const char *path, const uint8_t *rgba, unsigned width, unsigned height);

#endif
