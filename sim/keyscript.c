#include "keyscript.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "keymap.h"

#define MAX_CHORD 4

static int push(struct keyscript *ks, enum keyscript_kind kind, uint16_t key, unsigned ms)
{
	if (ks->count == ks->cap) {
		size_t cap = ks->cap ? ks->cap * 2 : 64;
		struct keyscript_event *ev = realloc(ks->events, cap * sizeof *ev);
		if (!ev)
			return -ENOMEM;
		ks->events = ev;
		ks->cap = cap;
	}
	ks->events[ks->count++] = (struct keyscript_event){ kind, key, ms };
	return 0;
}

/* Presses the keys in order and releases them in reverse: a chord like Ctrl+Alt+Delete. */
static int push_chord(struct keyscript *ks, const uint16_t *keys, unsigned n)
{
	int rc = 0;
	for (unsigned i = 0; i < n && !rc; i++)
		rc = push(ks, KEYSCRIPT_DOWN, keys[i], 0);
	for (unsigned i = n; i-- > 0 && !rc;)
		rc = push(ks, KEYSCRIPT_UP, keys[i], 0);
	return rc;
}

static int push_char(struct keyscript *ks, char c)
{
	int shift;
	uint16_t key = keymap_from_ascii(c, &shift);
	if (key == KEY_NONE)
		return -EINVAL;
	uint16_t chord[2] = { KEY_LSHIFT, key };
	return shift ? push_chord(ks, chord, 2) : push_chord(ks, &key, 1);
}

/* "{...}" contents: "Wait N" or "Mod+Mod+Key". */
static int parse_braced(struct keyscript *ks, const char *s, size_t len)
{
	if (len > 5 && strncasecmp(s, "Wait ", 5) == 0) {
		char *end;
		unsigned long ms = strtoul(s + 5, &end, 10);
		if (end != s + len)
			return -EINVAL;
		return push(ks, KEYSCRIPT_WAIT, 0, (unsigned)ms);
	}
	uint16_t keys[MAX_CHORD];
	unsigned n = 0;
	for (size_t start = 0; start <= len;) {
		const char *plus = memchr(s + start, '+', len - start);
		/* A '+' right at the end is the key itself ("{Ctrl++}" is not supported). */
		size_t part = plus && plus != s + len - 1 ? (size_t)(plus - s) - start : len - start;
		uint16_t key = keymap_from_name(s + start, part);
		if (key == KEY_NONE || n == MAX_CHORD)
			return -EINVAL;
		keys[n++] = key;
		start += part + 1;
	}
	return push_chord(ks, keys, n);
}

static char unescape(char c)
{
	switch (c) {
	case 'n': return '\n';
	case 't': return '\t';
	case 'b': return '\b';
	case 'e': return 27;
	default: return c;
	}
}

int keyscript_parse(struct keyscript *ks, const char *text, char *error, size_t errlen)
{
	memset(ks, 0, sizeof *ks);
	for (const char *p = text; *p;) {
		int rc;
		const char *at = p;
		if (*p == '\\' && p[1]) {
			rc = push_char(ks, unescape(p[1]));
			p += 2;
		} else if (*p == '{') {
			const char *close = strchr(p, '}');
			if (!close) {
				snprintf(error, errlen, "unclosed '{' at offset %zu", (size_t)(p - text));
				return -EINVAL;
			}
			rc = parse_braced(ks, p + 1, (size_t)(close - p - 1));
			p = close + 1;
		} else {
			rc = push_char(ks, *p++);
		}
		if (rc) {
			snprintf(error, errlen, "cannot type \"%.*s\" at offset %zu", (int)(p - at), at,
				 (size_t)(at - text));
			keyscript_free(ks);
			return rc;
		}
	}
	return 0;
}

void keyscript_free(struct keyscript *ks)
{
	free(ks->events);
	memset(ks, 0, sizeof *ks);
}
