/* Command set: IBM PS/2 Hardware Interface Technical Reference, "Keyboard commands";
 * OSDev "PS/2 Keyboard". */
#include "ps2-kbd.h"

#include <string.h>

#include "trace.h"

#define KBD_CMD_SET_LEDS 0xed
#define KBD_CMD_ECHO 0xee
#define KBD_CMD_SCANCODE_SET 0xf0
#define KBD_CMD_IDENTIFY 0xf2
#define KBD_CMD_TYPEMATIC 0xf3
#define KBD_CMD_ENABLE 0xf4
#define KBD_CMD_DISABLE 0xf5
#define KBD_CMD_DEFAULTS 0xf6
#define KBD_CMD_RESEND 0xfe
#define KBD_CMD_RESET 0xff

#define KBD_ACK 0xfa
#define KBD_RESEND 0xfe
#define KBD_ECHO 0xee
#define KBD_SELF_TEST_OK 0xaa
#define KBD_OVERRUN_SET1 0xff
/* MF2 keyboard ID; with translation the controller reports 0xAB 0x41. */
#define KBD_ID_1 0xab
#define KBD_ID_2_TRANSLATED 0x41
#define KBD_TYPEMATIC_DEFAULT 0x2b /* 10.9 cps, 500 ms */

static void kbd_queue(struct ps2_kbd_state *k, uint8_t byte)
{
	if (k->count == PS2_KBD_QUEUE_SIZE) {
		k->queue[(k->head + k->count - 1) % PS2_KBD_QUEUE_SIZE] = KBD_OVERRUN_SET1;
		return;
	}
	k->queue[(k->head + k->count++) % PS2_KBD_QUEUE_SIZE] = byte;
}

static void kbd_defaults(struct ps2_kbd_state *k)
{
	k->typematic = KBD_TYPEMATIC_DEFAULT;
	k->leds = 0;
}

void ps2_kbd_reset(struct ps2_kbd_state *k)
{
	memset(k, 0, sizeof *k);
	kbd_defaults(k);
	k->scanning = 1;
}

int ps2_kbd_has_data(const struct ps2_kbd_state *k)
{
	return k->count != 0;
}

uint8_t ps2_kbd_pop(struct ps2_kbd_state *k)
{
	if (!k->count)
		return 0;
	uint8_t byte = k->queue[k->head];
	k->head = (k->head + 1) % PS2_KBD_QUEUE_SIZE;
	k->count--;
	k->last_sent = byte;
	return byte;
}

void ps2_kbd_key(struct ps2_kbd_state *k, const uint8_t *bytes, unsigned len)
{
	if (!k->scanning)
		return;
	for (unsigned i = 0; i < len; i++)
		kbd_queue(k, bytes[i]);
}

/* The parameter byte of a two-byte command. */
static void kbd_parameter(struct ps2_kbd_state *k, uint8_t cmd, uint8_t byte)
{
	switch (cmd) {
	case KBD_CMD_SET_LEDS:
		k->leds = byte & 0x07; /* scroll, num, caps lock */
		break;
	case KBD_CMD_TYPEMATIC:
		k->typematic = byte & 0x7f;
		break;
	case KBD_CMD_SCANCODE_SET:
		if (byte == 0) {
			kbd_queue(k, KBD_ACK);
			kbd_queue(k, 0x01); /* set 1 is what reaches the host */
			return;
		}
		if (byte != 1 && byte != 2)
			sim_trace("ps2-kbd", "scancode set %u requested; the model sends set 1", byte);
		break;
	}
	kbd_queue(k, KBD_ACK);
}

static void kbd_command(struct ps2_kbd_state *k, uint8_t cmd)
{
	switch (cmd) {
	case KBD_CMD_SET_LEDS:
	case KBD_CMD_TYPEMATIC:
	case KBD_CMD_SCANCODE_SET:
		k->pending_cmd = cmd;
		kbd_queue(k, KBD_ACK);
		break;
	case KBD_CMD_ECHO:
		kbd_queue(k, KBD_ECHO);
		break;
	case KBD_CMD_IDENTIFY:
		kbd_queue(k, KBD_ACK);
		kbd_queue(k, KBD_ID_1);
		kbd_queue(k, KBD_ID_2_TRANSLATED);
		break;
	case KBD_CMD_ENABLE:
		k->count = 0; /* enabling clears the output buffer */
		k->scanning = 1;
		kbd_queue(k, KBD_ACK);
		break;
	case KBD_CMD_DISABLE:
		kbd_defaults(k); /* F5 also restores defaults */
		k->scanning = 0;
		kbd_queue(k, KBD_ACK);
		break;
	case KBD_CMD_DEFAULTS:
		kbd_defaults(k);
		kbd_queue(k, KBD_ACK);
		break;
	case KBD_CMD_RESEND:
		kbd_queue(k, k->last_sent);
		break;
	case KBD_CMD_RESET:
		ps2_kbd_reset(k);
		kbd_queue(k, KBD_ACK);
		kbd_queue(k, KBD_SELF_TEST_OK); /* basic assurance test passed */
		break;
	default:
		sim_trace("ps2-kbd", "unknown command 0x%02x: answering resend", cmd);
		kbd_queue(k, KBD_RESEND);
		break;
	}
}

void ps2_kbd_write(struct ps2_kbd_state *k, uint8_t byte)
{
	uint8_t cmd = k->pending_cmd;
	k->pending_cmd = 0;
	/* A command byte instead of the awaited parameter starts a new command. */
	if (cmd && byte < KBD_CMD_SET_LEDS)
		kbd_parameter(k, cmd, byte);
	else
		kbd_command(k, byte);
}
