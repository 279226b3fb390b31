/* libFuzzer target: the initrd's cpio reader (linux/cpio.c) on arbitrary bytes, as one
 * archive or several concatenated.
 * Every entry it returns must lie inside the archive (AddressSanitizer checks each byte
 * is read), the reader must advance on every entry, and it must stop: a corrupt archive
 * ends the walk with an error, never a read past the end. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linux/cpio.h"

/* Reads every byte of [p, p + n): AddressSanitizer reports any outside the input. */
static unsigned touch(const uint8_t *p, size_t n)
{
	unsigned sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += p[i];
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cpio_iter it;
	struct cpio_entry e;
	volatile unsigned sink = 0;
	cpio_iter_init(&it, data, size);
	for (;;) {
		size_t before = it.pos;
		int rc = cpio_next(&it, &e);
		if (rc == 0 && it.pos > before && cpio_next_archive(&it))
			continue; /* another archive after the trailer */
		if (rc <= 0)
			break;
		if (it.pos <= before)
			abort(); /* no progress: the walk would never end */
		const uint8_t *name = (const uint8_t *)e.name;
		if (name < data || e.name_len > size || name + e.name_len > data + size ||
		    e.data < data || e.size > size || e.data + e.size > data + size)
			abort(); /* an entry outside the archive */
		if (memchr(e.name, 0, e.name_len))
			abort(); /* a name with a NUL inside it */
		sink += touch(name, e.name_len) + touch(e.data, e.size);
	}
	(void)sink;
	return 0;
}
