/*
 * Intel 8042 PS/2 controller: data port 0x60, status/command port 0x64, keyboard on the
 * first port (ISA IRQ 1). No mouse is attached to the second port.
 */
#ifndef RTJS_SIM_PS2_H
#define RTJS_SIM_PS2_H

#include <pthread.h>
#include <stdint.h>

#include "machine.h"
#include "ps2-kbd.h"

#define PS2_DATA_PORT 0x60
#define PS2_STATUS_PORT 0x64
#define PS2_KBD_IRQ 1

struct ps2_state {
	pthread_mutex_t lock;
	struct sim_irq irq;
	struct ps2_kbd_state kbd;
	uint8_t config;      /* the "command byte" */
	uint8_t status;
	uint8_t out;         /* output buffer, valid while status.OBF */
	uint8_t output_port;
	uint8_t pending_cmd; /* controller command waiting for a data byte, or 0 */
	void (*reset_request)(void *ctx); /* 0xFE pulse / output port bit 0: reset the machine */
	void *reset_ctx;
};

int ps2_init(struct ps2_state *s, struct sim_machine *m);
void ps2_reset(struct ps2_state *s);
void ps2_destroy(struct ps2_state *s);
uint32_t ps2_read(void *opaque, uint32_t offset, unsigned size);
void ps2_write(void *opaque, uint32_t offset, unsigned size, uint32_t value);
/* A key went down or up: `bytes` is its set-1 make code (break codes are derived). */
void ps2_key_event(struct ps2_state *s, const uint8_t *make, unsigned len, int pressed);
/* True when nothing waits in the keyboard and output buffer: scripted input paces on it. */
int ps2_idle(struct ps2_state *s);
/* True once the guest has enabled the keyboard port and its interrupt. */
int ps2_kbd_ready(struct ps2_state *s);

#endif
