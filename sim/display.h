/*
 * The SDL2 window showing the machine's screen (the VGA text screen, or the linear
 * framebuffer) and feeding the PS/2 keyboard.
 *
 * Everything SDL is done on one dedicated thread that this module starts (SDL's rule is
 * that video calls and the event pump stay on one thread; on Linux with X11 or Wayland that
 * thread need not be main()'s).
 */
#ifndef RTJS_SIM_DISPLAY_H
#define RTJS_SIM_DISPLAY_H

#include <stdint.h>

#include "ps2.h"

/* What the window shows: a picture of width x height pixels that render draws as RGBA
 * (R,G,B,A bytes) from the device's state; blink_on is the phase of blinking things. */
struct sim_screen {
	unsigned width, height;
	void (*render)(void *state, uint8_t *rgba, int blink_on);
	void *state;
};

/* Opens the window; -ENODEV when no display is reachable (no DISPLAY/WAYLAND_DISPLAY, or
 * SDL cannot initialise video). on_quit runs on the display thread when the window is
 * closed. */
int sim_display_start(const struct sim_screen *screen, struct ps2_state *ps2, void (*on_quit)(void *ctx), void *ctx);
/* Closes the window and joins the thread; a no-op when called from the display thread itself
 * (on_quit leading to shutdown) or when no window is open. */
void sim_display_stop(void);

#endif
