/*
 * The SDL2 window showing the VGA text screen and feeding the PS/2 keyboard.
 *
 * Everything SDL is done on one dedicated thread that this module starts (SDL's rule is
 * that video calls and the event pump stay on one thread; on Linux with X11 or Wayland that
 * thread need not be main()'s).
 */
#ifndef RTJS_SIM_DISPLAY_H
#define RTJS_SIM_DISPLAY_H

#include "ps2.h"
#include "vga.h"

/* Opens the window; -ENODEV when no display is reachable (no DISPLAY/WAYLAND_DISPLAY, or
 * SDL cannot initialise video). on_quit runs on the display thread when the window is
 * closed. */
int sim_display_start(struct vga_state *vga, struct ps2_state *ps2, void (*on_quit)(void *ctx), void *ctx);
/* Closes the window and joins the thread; a no-op when called from the display thread itself
 * (on_quit leading to shutdown) or when no window is open. */
void sim_display_stop(void);

#endif
