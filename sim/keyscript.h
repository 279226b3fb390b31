/*
 * Scripted keyboard input (the simulator's --keys option): a string turned into key
 * presses and releases.
 *
 * Notation:
 *   - a printable ASCII character types that key on a US layout, with Shift held around it
 *     when needed ("A", "*", "(");
 *   - \n Enter, \t Tab, \b Backspace, \e Escape, \\ a backslash, \{ a brace;
 *     a real newline in the string is Enter too;
 *   - {Name} taps a named key: Enter Tab Esc Backspace Space Up Down Left Right Home End
 *     PageUp PageDown Insert Delete CapsLock F1-F12;
 *   - {Ctrl+c}, {Ctrl+Alt+Delete}, {Shift+Tab}: modifiers held while the last key is tapped;
 *   - {Wait 500} pauses 500 ms before the next key.
 * Example: --keys '6*7\n{Wait 200}{Ctrl+l}'
 */
#ifndef RTJS_SIM_KEYSCRIPT_H
#define RTJS_SIM_KEYSCRIPT_H

#include <stddef.h>
#include <stdint.h>

enum keyscript_kind { KEYSCRIPT_DOWN, KEYSCRIPT_UP, KEYSCRIPT_WAIT };

struct keyscript_event {
	enum keyscript_kind kind;
	uint16_t key;       /* keymap.h key, for DOWN/UP */
	unsigned wait_ms;   /* for WAIT */
};

struct keyscript {
	struct keyscript_event *events;
	size_t count, cap;
};

/* Returns 0, or -EINVAL with `error` (size errlen) naming the offending part. */
int keyscript_parse(struct keyscript *ks, const char *text, char *error, size_t errlen);
void keyscript_free(struct keyscript *ks);

#endif
