/*
 * 8042 controller model. Status and command byte bits, controller commands: OSDev "8042
 * PS/2 Controller"; IBM PC/AT Technical Reference, keyboard controller.
 */
#include "ps2.h"

#include <string.h>

#include "trace.h"

#define STATUS_OBF 0x01  /* output buffer full: port 0x60 has a byte */
#define STATUS_IBF 0x02  /* input buffer full: never set, writes are consumed at once */
#define STATUS_SYS 0x04  /* system flag, copied from the command byte */
#define STATUS_CMD 0x08  /* last write was to port 0x64 */
#define STATUS_UNLOCKED 0x10 /* keyboard not inhibited (keylock) */
#define STATUS_AUX_OBF 0x20

#define CONFIG_KBD_INT 0x01
#define CONFIG_AUX_INT 0x02
#define CONFIG_SYS 0x04
#define CONFIG_KBD_DISABLE 0x10
#define CONFIG_AUX_DISABLE 0x20
#define CONFIG_XLATE 0x40
/* What a BIOS leaves: interrupts on for the keyboard, system flag, translation. */
#define CONFIG_POWER_ON (CONFIG_KBD_INT | CONFIG_SYS | CONFIG_XLATE)

#define CMD_READ_CONFIG 0x20
#define CMD_WRITE_CONFIG 0x60
#define CMD_DISABLE_AUX 0xa7
#define CMD_ENABLE_AUX 0xa8
#define CMD_TEST_AUX 0xa9
#define CMD_SELF_TEST 0xaa
#define CMD_TEST_KBD 0xab
#define CMD_DISABLE_KBD 0xad
#define CMD_ENABLE_KBD 0xae
#define CMD_READ_OUTPUT_PORT 0xd0
#define CMD_WRITE_OUTPUT_PORT 0xd1
#define CMD_WRITE_KBD_OUTPUT 0xd2
#define CMD_WRITE_AUX_OUTPUT 0xd3
#define CMD_WRITE_AUX 0xd4
#define CMD_PULSE_RESET 0xfe

#define SELF_TEST_OK 0x55
#define PORT_TEST_OK 0x00
#define PORT_TEST_CLOCK_STUCK_LOW 0x01 /* what an empty second port answers */
#define OUTPUT_PORT_RESET 0x01 /* 0 holds the CPU in reset */
#define OUTPUT_PORT_A20 0x02
#define BREAK_BIT 0x80 /* set 1: break code = make code | 0x80 */

static void ps2_update_irq(struct ps2_state *s)
{
	sim_irq_set(&s->irq, (s->status & STATUS_OBF) && (s->config & CONFIG_KBD_INT));
}

/* Moves the keyboard's next byte into the output buffer when it is free. */
static void ps2_refill(struct ps2_state *s)
{
	if ((s->status & STATUS_OBF) || (s->config & CONFIG_KBD_DISABLE) || !ps2_kbd_has_data(&s->kbd))
		return;
	s->out = ps2_kbd_pop(&s->kbd);
	s->status |= STATUS_OBF;
}

/* A byte produced by the controller itself goes ahead of the keyboard's. */
static void ps2_reply(struct ps2_state *s, uint8_t byte)
{
	s->out = byte;
	s->status |= STATUS_OBF;
}

static uint32_t ps2_status_read(void *opaque, uint32_t offset, unsigned size)
{
	return ps2_read(opaque, offset + PS2_STATUS_PORT - PS2_DATA_PORT, size);
}

static void ps2_status_write(void *opaque, uint32_t offset, unsigned size, uint32_t value)
{
	ps2_write(opaque, offset + PS2_STATUS_PORT - PS2_DATA_PORT, size, value);
}

int ps2_init(struct ps2_state *s, struct sim_machine *m)
{
	memset(s, 0, sizeof *s);
	pthread_mutex_init(&s->lock, NULL);
	int rc = sim_irq_init(&s->irq, m, PS2_KBD_IRQ);
	if (rc)
		return rc;
	ps2_reset(s);
	/* Two one-port ranges (0x61-0x63 belong to other devices); the status port's handlers
	 * pass its offset from the data port. */
	static const struct sim_io_ops data_ops = { ps2_read, ps2_write };
	static const struct sim_io_ops status_ops = { ps2_status_read, ps2_status_write };
	rc = sim_port_register(m, PS2_DATA_PORT, 1, &data_ops, s);
	if (!rc)
		rc = sim_port_register(m, PS2_STATUS_PORT, 1, &status_ops, s);
	return rc;
}

void ps2_destroy(struct ps2_state *s)
{
	pthread_mutex_destroy(&s->lock);
}

void ps2_reset(struct ps2_state *s)
{
	pthread_mutex_lock(&s->lock);
	ps2_kbd_reset(&s->kbd);
	s->config = CONFIG_POWER_ON;
	s->status = STATUS_SYS | STATUS_UNLOCKED;
	s->output_port = OUTPUT_PORT_RESET | OUTPUT_PORT_A20;
	s->pending_cmd = 0;
	ps2_update_irq(s);
	pthread_mutex_unlock(&s->lock);
}

static void ps2_request_reset(struct ps2_state *s)
{
	sim_trace("ps2", "guest pulsed the reset line");
	if (s->reset_request)
		s->reset_request(s->reset_ctx);
}

static void ps2_command(struct ps2_state *s, uint8_t cmd)
{
	switch (cmd) {
	case CMD_READ_CONFIG: ps2_reply(s, s->config); break;
	case CMD_WRITE_CONFIG:
	case CMD_WRITE_OUTPUT_PORT:
	case CMD_WRITE_KBD_OUTPUT:
	case CMD_WRITE_AUX_OUTPUT:
	case CMD_WRITE_AUX:
		s->pending_cmd = cmd; /* the next byte written to 0x60 is its parameter */
		break;
	case CMD_DISABLE_AUX: s->config |= CONFIG_AUX_DISABLE; break;
	case CMD_ENABLE_AUX: s->config &= ~CONFIG_AUX_DISABLE; break;
	case CMD_TEST_AUX: ps2_reply(s, PORT_TEST_CLOCK_STUCK_LOW); break;
	case CMD_SELF_TEST:
		/* Like many real 8042s, the self-test leaves the command byte at its reset value. */
		s->config = CONFIG_POWER_ON;
		ps2_reply(s, SELF_TEST_OK);
		break;
	case CMD_TEST_KBD: ps2_reply(s, PORT_TEST_OK); break;
	case CMD_DISABLE_KBD: s->config |= CONFIG_KBD_DISABLE; break;
	case CMD_ENABLE_KBD: s->config &= ~CONFIG_KBD_DISABLE; break;
	case CMD_READ_OUTPUT_PORT: ps2_reply(s, s->output_port); break;
	case CMD_PULSE_RESET: ps2_request_reset(s); break;
	default:
		/* 0xF0-0xFF pulse output lines; others are vendor-specific. */
		if (cmd < 0xf0)
			sim_trace("ps2", "unknown controller command 0x%02x ignored", cmd);
		break;
	}
}

static void ps2_data(struct ps2_state *s, uint8_t byte)
{
	uint8_t cmd = s->pending_cmd;
	s->pending_cmd = 0;
	switch (cmd) {
	case CMD_WRITE_CONFIG:
		s->config = byte;
		s->status = (s->status & ~STATUS_SYS) | (byte & CONFIG_SYS);
		break;
	case CMD_WRITE_OUTPUT_PORT:
		s->output_port = byte;
		if (!(byte & OUTPUT_PORT_RESET))
			ps2_request_reset(s);
		break;
	case CMD_WRITE_KBD_OUTPUT: ps2_reply(s, byte); break;
	case CMD_WRITE_AUX_OUTPUT:
	case CMD_WRITE_AUX:
		sim_trace("ps2", "byte 0x%02x for the second port: no device there", byte);
		break;
	default:
		ps2_kbd_write(&s->kbd, byte);
		/* Sending to the keyboard re-enables its port, as on real controllers. */
		s->config &= ~CONFIG_KBD_DISABLE;
		break;
	}
}

uint32_t ps2_read(void *opaque, uint32_t offset, unsigned size)
{
	struct ps2_state *s = opaque;
	if (size != 1)
		sim_trace("ps2", "%u-byte read at port 0x%x", size, PS2_DATA_PORT + offset);
	pthread_mutex_lock(&s->lock);
	uint8_t v;
	if (offset == 0) {
		/* Reading the data port empties the output buffer and lowers IRQ 1; the next
		 * queued keyboard byte moves in (and raises it again). */
		v = s->out;
		s->status &= ~STATUS_OBF;
		ps2_refill(s);
	} else {
		v = s->status;
	}
	ps2_update_irq(s);
	pthread_mutex_unlock(&s->lock);
	return v;
}

void ps2_write(void *opaque, uint32_t offset, unsigned size, uint32_t value)
{
	struct ps2_state *s = opaque;
	if (size != 1)
		sim_trace("ps2", "%u-byte write at port 0x%x", size, PS2_DATA_PORT + offset);
	pthread_mutex_lock(&s->lock);
	if (offset == 0) {
		s->status &= ~STATUS_CMD;
		ps2_data(s, (uint8_t)value);
	} else {
		s->status |= STATUS_CMD;
		ps2_command(s, (uint8_t)value);
	}
	ps2_refill(s);
	ps2_update_irq(s);
	pthread_mutex_unlock(&s->lock);
}

void ps2_key_event(struct ps2_state *s, const uint8_t *make, unsigned len, int pressed)
{
	uint8_t bytes[4];
	if (len == 0 || len > sizeof bytes)
		return;
	memcpy(bytes, make, len);
	if (!pressed)
		bytes[len - 1] |= BREAK_BIT; /* E0-prefixed keys keep the prefix */
	pthread_mutex_lock(&s->lock);
	ps2_kbd_key(&s->kbd, bytes, len);
	ps2_refill(s);
	ps2_update_irq(s);
	pthread_mutex_unlock(&s->lock);
}

int ps2_idle(struct ps2_state *s)
{
	pthread_mutex_lock(&s->lock);
	int idle = !(s->status & STATUS_OBF) && !ps2_kbd_has_data(&s->kbd);
	pthread_mutex_unlock(&s->lock);
	return idle;
}

int ps2_kbd_ready(struct ps2_state *s)
{
	pthread_mutex_lock(&s->lock);
	int ready = (s->config & CONFIG_KBD_INT) && !(s->config & CONFIG_KBD_DISABLE) && s->kbd.scanning;
	pthread_mutex_unlock(&s->lock);
	return ready;
}
