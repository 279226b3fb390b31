#include "linux/cpio.h"

#include <errno.h>
#include <string.h>

/* newc header: "070701" then 13 fields of 8 hex digits (man 5 cpio, "New ASCII Format"). */
#define CPIO_MAGIC "070701"
#define CPIO_HEADER_LEN 110
#define FIELD_INO 0
#define FIELD_MODE 1
#define FIELD_FILESIZE 6
#define FIELD_NAMESIZE 11
#define TRAILER "TRAILER!!!"

static int hex_field(const uint8_t *h, unsigned index, uint32_t *out)
{
	const uint8_t *p = h + 6 + 8 * index;
	uint32_t v = 0;
	for (int i = 0; i < 8; i++) {
		uint8_t c = p[i];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -EINVAL;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

static size_t align4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

int cpio_next(struct cpio_iter *it, struct cpio_entry *e)
{
	if (it->pos > it->len || it->len - it->pos < CPIO_HEADER_LEN)
		return -EINVAL;
	const uint8_t *h = it->base + it->pos;
	if (memcmp(h, CPIO_MAGIC, 6) != 0)
		return -EINVAL;
	uint32_t ino, mode, size, namesize;
	if (hex_field(h, FIELD_INO, &ino) || hex_field(h, FIELD_MODE, &mode) ||
	    hex_field(h, FIELD_FILESIZE, &size) || hex_field(h, FIELD_NAMESIZE, &namesize))
		return -EINVAL;
	size_t name_at = it->pos + CPIO_HEADER_LEN;
	if (namesize == 0 || namesize > it->len - name_at)
		return -EINVAL;
	size_t data_at = align4(name_at + namesize);
	if (data_at > it->len || size > it->len - data_at)
		return -EINVAL;
	const char *name = (const char *)it->base + name_at;
	size_t name_len = namesize - 1; /* namesize counts the name's terminating NUL */
	if (name[name_len] != 0 || memchr(name, 0, name_len))
		return -EINVAL;
	if (name_len == strlen(TRAILER) && memcmp(name, TRAILER, name_len) == 0) {
		it->pos = align4(data_at + size) < it->len ? align4(data_at + size) : it->len;
		return 0;
	}
	while (name_len >= 2 && name[0] == '.' && name[1] == '/') {
		name += 2;
		name_len -= 2;
	}
	e->name = name;
	e->name_len = name_len;
	e->mode = mode;
	e->ino = ino;
	e->data = it->base + data_at;
	e->size = size;
	it->pos = align4(data_at + size);
	return 1;
}

int cpio_is_archive(const void *p, size_t len)
{
	return len >= CPIO_HEADER_LEN && memcmp(p, CPIO_MAGIC, 6) == 0;
}

int cpio_next_archive(struct cpio_iter *it)
{
	while (it->pos < it->len && it->base[it->pos] == 0)
		it->pos++;
	return cpio_is_archive(it->base + it->pos, it->len - it->pos);
}
