/*
 * Keys of a US PC keyboard and their scancode set 1 make codes (IBM PC/AT keyboard, as
 * tabulated in OSDev "PS/2 Keyboard", scan code set 1). A key is its make code, with
 * KEY_EXTENDED for the E0-prefixed ones.
 */
#ifndef RTJS_SIM_KEYMAP_H
#define RTJS_SIM_KEYMAP_H

#include <stddef.h>
#include <stdint.h>

#define KEY_EXTENDED 0x100
#define KEY_NONE 0

#define KEY_ESC 0x01
#define KEY_BACKSPACE 0x0e
#define KEY_TAB 0x0f
#define KEY_ENTER 0x1c
#define KEY_LCTRL 0x1d
#define KEY_LSHIFT 0x2a
#define KEY_RSHIFT 0x36
#define KEY_LALT 0x38
#define KEY_SPACE 0x39
#define KEY_CAPSLOCK 0x3a
#define KEY_F1 0x3b
#define KEY_F11 0x57
#define KEY_F12 0x58
#define KEY_HOME (KEY_EXTENDED | 0x47)
#define KEY_UP (KEY_EXTENDED | 0x48)
#define KEY_PAGEUP (KEY_EXTENDED | 0x49)
#define KEY_LEFT (KEY_EXTENDED | 0x4b)
#define KEY_RIGHT (KEY_EXTENDED | 0x4d)
#define KEY_END (KEY_EXTENDED | 0x4f)
#define KEY_DOWN (KEY_EXTENDED | 0x50)
#define KEY_PAGEDOWN (KEY_EXTENDED | 0x51)
#define KEY_INSERT (KEY_EXTENDED | 0x52)
#define KEY_DELETE (KEY_EXTENDED | 0x53)

/* The make code bytes of `key` (1 or 2); 0 for KEY_NONE. */
unsigned keymap_set1(uint16_t key, uint8_t bytes[2]);
/* The key that types ASCII `c` on a US layout, and whether Shift is needed. */
uint16_t keymap_from_ascii(char c, int *shift);
/* The key for a USB HID usage (keyboard page 0x07), which is also SDL's scancode. */
uint16_t keymap_from_hid(unsigned usage);
/* A key by name ("Enter", "F5", "Ctrl", ...; case-insensitive). */
uint16_t keymap_from_name(const char *name, size_t len);

#endif
