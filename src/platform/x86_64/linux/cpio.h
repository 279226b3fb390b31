/* The initrd's format: cpio "newc" (SVR4 without CRC), as written by `cpio -H newc`.
 * Pure: parses an archive in memory; no allocation. */
#ifndef RTJS_LINUX_CPIO_H
#define RTJS_LINUX_CPIO_H

#include <stddef.h>
#include <stdint.h>

struct cpio_entry {
	const char *name;   /* not NUL-terminated: name_len bytes, without "./" */
	size_t name_len;
	uint32_t mode;      /* st_mode: type and permissions */
	uint32_t ino;
	const uint8_t *data;
	size_t size;
};

struct cpio_iter {
	const uint8_t *base;
	size_t len, pos;
};

static inline void cpio_iter_init(struct cpio_iter *it, const void *archive, size_t len)
{
	it->base = archive;
	it->len = len;
	it->pos = 0;
}

/* 1 and the next entry; 0 at the trailer (the iterator then stands past it); a negative
 * errno if the archive is corrupt (bad magic, a header or file running past the end):
 * nothing past it is read. */
int cpio_next(struct cpio_iter *it, struct cpio_entry *e);
/* 1 if the bytes start with a newc header. */
int cpio_is_archive(const void *p, size_t len);
/* After a trailer: skips the NUL padding between concatenated archives (as Linux's
 * initramfs reader does) and returns 1 if another archive starts there, else 0. */
int cpio_next_archive(struct cpio_iter *it);

#endif
