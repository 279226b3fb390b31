/*
 * PS/2 keyboard (IBM PS/2 Technical Reference, keyboard commands), producing scancode set 1
 * bytes, i.e. what the 8042 delivers with translation on. Every function is called with the
 * owning controller's lock held.
 */
#ifndef RTJS_SIM_PS2_KBD_H
#define RTJS_SIM_PS2_KBD_H

#include <stdint.h>

/* Bytes waiting to be read (a real keyboard holds about 16 keys; bursts from the window or a
 * script need more). When full, the last byte becomes the overrun code. */
#define PS2_KBD_QUEUE_SIZE 64

struct ps2_kbd_state {
	uint8_t queue[PS2_KBD_QUEUE_SIZE];
	unsigned head, count;
	int scanning;      /* F4 enables, F5 disables */
	uint8_t pending_cmd; /* a command waiting for its parameter byte, or 0 */
	uint8_t leds;
	uint8_t typematic;
	uint8_t last_sent;  /* for the FE (resend) command */
};

void ps2_kbd_reset(struct ps2_kbd_state *k);
/* A byte from the host (written to port 0x60). */
void ps2_kbd_write(struct ps2_kbd_state *k, uint8_t byte);
/* A key's set-1 bytes (make or break); ignored while scanning is disabled. */
void ps2_kbd_key(struct ps2_kbd_state *k, const uint8_t *bytes, unsigned len);
int ps2_kbd_has_data(const struct ps2_kbd_state *k);
uint8_t ps2_kbd_pop(struct ps2_kbd_state *k);

#endif
