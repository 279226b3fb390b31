#include "keymap.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Set 1 make codes of the US layout's typing keys, unshifted and shifted, by row. */
struct ascii_key {
	char plain, shifted;
	uint8_t code;
};

static const struct ascii_key ascii_keys[] = {
	{ '`', '~', 0x29 }, { '1', '!', 0x02 }, { '2', '@', 0x03 }, { '3', '#', 0x04 },
	{ '4', '$', 0x05 }, { '5', '%', 0x06 }, { '6', '^', 0x07 }, { '7', '&', 0x08 },
	{ '8', '*', 0x09 }, { '9', '(', 0x0a }, { '0', ')', 0x0b }, { '-', '_', 0x0c },
	{ '=', '+', 0x0d }, { 'q', 'Q', 0x10 }, { 'w', 'W', 0x11 }, { 'e', 'E', 0x12 },
	{ 'r', 'R', 0x13 }, { 't', 'T', 0x14 }, { 'y', 'Y', 0x15 }, { 'u', 'U', 0x16 },
	{ 'i', 'I', 0x17 }, { 'o', 'O', 0x18 }, { 'p', 'P', 0x19 }, { '[', '{', 0x1a },
	{ ']', '}', 0x1b }, { 'a', 'A', 0x1e }, { 's', 'S', 0x1f }, { 'd', 'D', 0x20 },
	{ 'f', 'F', 0x21 }, { 'g', 'G', 0x22 }, { 'h', 'H', 0x23 }, { 'j', 'J', 0x24 },
	{ 'k', 'K', 0x25 }, { 'l', 'L', 0x26 }, { ';', ':', 0x27 }, { '\'', '"', 0x28 },
	{ '\\', '|', 0x2b }, { 'z', 'Z', 0x2c }, { 'x', 'X', 0x2d }, { 'c', 'C', 0x2e },
	{ 'v', 'V', 0x2f }, { 'b', 'B', 0x30 }, { 'n', 'N', 0x31 }, { 'm', 'M', 0x32 },
	{ ',', '<', 0x33 }, { '.', '>', 0x34 }, { '/', '?', 0x35 }, { ' ', ' ', KEY_SPACE },
	{ '\n', '\n', KEY_ENTER }, { '\t', '\t', KEY_TAB }, { '\b', '\b', KEY_BACKSPACE },
	{ 27, 27, KEY_ESC },
};

unsigned keymap_set1(uint16_t key, uint8_t bytes[2])
{
	if (key == KEY_NONE)
		return 0;
	if (key & KEY_EXTENDED) {
		bytes[0] = 0xe0;
		bytes[1] = key & 0xff;
		return 2;
	}
	bytes[0] = key & 0xff;
	return 1;
}

uint16_t keymap_from_ascii(char c, int *shift)
{
	for (size_t i = 0; i < sizeof ascii_keys / sizeof ascii_keys[0]; i++) {
		if (ascii_keys[i].plain == c || ascii_keys[i].shifted == c) {
			*shift = ascii_keys[i].plain != c;
			return ascii_keys[i].code;
		}
	}
	*shift = 0;
	return KEY_NONE;
}

/* HID usage 0x04 'a' .. 0x38 '/' in usage order (HID Usage Tables, keyboard page). */
static const char hid_typing[] = "abcdefghijklmnopqrstuvwxyz1234567890\n\x1b\b\t -=[]\\#;'`,./";
#define HID_A 0x04
#define HID_SLASH 0x38
#define HID_NON_US_HASH 0x32

struct hid_key {
	uint8_t usage;
	uint16_t key;
};

static const struct hid_key hid_keys[] = {
	{ 0x39, KEY_CAPSLOCK }, { 0x44, KEY_F11 }, { 0x45, KEY_F12 },
	{ 0x46, KEY_EXTENDED | 0x37 }, /* Print Screen (E0 37 without the E0 2A prefix) */
	{ 0x47, 0x46 },                /* Scroll Lock */
	{ 0x49, KEY_INSERT }, { 0x4a, KEY_HOME }, { 0x4b, KEY_PAGEUP }, { 0x4c, KEY_DELETE },
	{ 0x4d, KEY_END }, { 0x4e, KEY_PAGEDOWN }, { 0x4f, KEY_RIGHT }, { 0x50, KEY_LEFT },
	{ 0x51, KEY_DOWN }, { 0x52, KEY_UP }, { 0x53, 0x45 }, /* Num Lock */
	{ 0x54, KEY_EXTENDED | 0x35 }, { 0x55, 0x37 }, { 0x56, 0x4a }, { 0x57, 0x4e },
	{ 0x58, KEY_EXTENDED | 0x1c }, /* keypad Enter */
	{ 0x59, 0x4f }, { 0x5a, 0x50 }, { 0x5b, 0x51 }, { 0x5c, 0x4b }, { 0x5d, 0x4c },
	{ 0x5e, 0x4d }, { 0x5f, 0x47 }, { 0x60, 0x48 }, { 0x61, 0x49 }, { 0x62, 0x52 },
	{ 0x63, 0x53 },
	{ 0xe0, KEY_LCTRL }, { 0xe1, KEY_LSHIFT }, { 0xe2, KEY_LALT }, { 0xe3, KEY_EXTENDED | 0x5b },
	{ 0xe4, KEY_EXTENDED | 0x1d }, { 0xe5, KEY_RSHIFT }, { 0xe6, KEY_EXTENDED | 0x38 },
	{ 0xe7, KEY_EXTENDED | 0x5c },
};

uint16_t keymap_from_hid(unsigned usage)
{
	int shift;
	if (usage >= HID_A && usage <= HID_SLASH && usage != HID_NON_US_HASH)
		return keymap_from_ascii(hid_typing[usage - HID_A], &shift);
	if (usage >= 0x3a && usage <= 0x43) /* F1-F10 */
		return (uint16_t)(KEY_F1 + usage - 0x3a);
	for (size_t i = 0; i < sizeof hid_keys / sizeof hid_keys[0]; i++)
		if (hid_keys[i].usage == usage)
			return hid_keys[i].key;
	return KEY_NONE;
}

struct named_key {
	const char *name;
	uint16_t key;
};

static const struct named_key named_keys[] = {
	{ "Enter", KEY_ENTER }, { "Tab", KEY_TAB }, { "Esc", KEY_ESC }, { "Escape", KEY_ESC },
	{ "Backspace", KEY_BACKSPACE }, { "Space", KEY_SPACE }, { "Up", KEY_UP },
	{ "Down", KEY_DOWN }, { "Left", KEY_LEFT }, { "Right", KEY_RIGHT }, { "Home", KEY_HOME },
	{ "End", KEY_END }, { "PageUp", KEY_PAGEUP }, { "PageDown", KEY_PAGEDOWN },
	{ "Insert", KEY_INSERT }, { "Delete", KEY_DELETE }, { "Ctrl", KEY_LCTRL },
	{ "Shift", KEY_LSHIFT }, { "Alt", KEY_LALT }, { "CapsLock", KEY_CAPSLOCK },
	{ "F11", KEY_F11 }, { "F12", KEY_F12 },
};

uint16_t keymap_from_name(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof named_keys / sizeof named_keys[0]; i++)
		if (strlen(named_keys[i].name) == len && strncasecmp(named_keys[i].name, name, len) == 0)
			return named_keys[i].key;
	if (len == 2 && (name[0] == 'F' || name[0] == 'f') && name[1] >= '1' && name[1] <= '9')
		return (uint16_t)(KEY_F1 + name[1] - '1');
	if (len == 3 && (name[0] == 'F' || name[0] == 'f') && name[1] == '1' && name[2] == '0')
		return KEY_F1 + 9;
	if (len == 1) {
		int shift;
		return keymap_from_ascii((char)(name[0] | 0x20), &shift);
	}
	return KEY_NONE;
}
