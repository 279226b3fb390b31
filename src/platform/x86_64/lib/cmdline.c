#include "lib/cmdline.h"

static const char *skip_spaces(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* If the word at w is `key` or starts with `key=`, returns the char after the key. */
static const char *match_key(const char *w, const char *key)
{
	while (*key && *w == *key)
		w++, key++;
	if (*key)
		return NULL;
	return (*w == 0 || *w == ' ' || *w == '\t' || *w == '=') ? w : NULL;
}

static const char *find_key(const char *cmdline, const char *key)
{
	const char *w = skip_spaces(cmdline);
	while (*w) {
		const char *end = match_key(w, key);
		if (end)
			return end;
		while (*w && *w != ' ' && *w != '\t')
			w++;
		w = skip_spaces(w);
	}
	return NULL;
}

int cmdline_has(const char *cmdline, const char *flag)
{
	return find_key(cmdline, flag) != NULL;
}

int cmdline_get(const char *cmdline, const char *key, char *buf, size_t n)
{
	const char *v = find_key(cmdline, key);
	if (!v || *v != '=')
		return -1;
	v++;
	size_t len = 0;
	while (v[len] && v[len] != ' ' && v[len] != '\t') {
		if (len + 1 < n)
			buf[len] = v[len];
		len++;
	}
	if (n)
		buf[len < n ? len : n - 1] = 0;
	return (int)len;
}
