/* A fake physical memory for the kernel's pure code: "physical address" = offset into a
 * heap buffer; reads outside it fail like unreadable memory. */
#ifndef TEST_ARENA_H
#define TEST_ARENA_H
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct arena {
	uint8_t *mem;
	size_t size;
};

static inline void arena_init(struct arena *a, size_t size)
{
	a->mem = aligned_alloc(4096, size);
	memset(a->mem, 0, size);
	a->size = size;
}

static inline void arena_free(struct arena *a)
{
	free(a->mem);
	a->mem = NULL;
}

static inline const void *arena_map(void *ctx, uint64_t pa, size_t len)
{
	struct arena *a = ctx;
	if (pa > a->size || len > a->size - pa)
		return NULL;
	return a->mem + pa;
}

static inline void *arena_at(struct arena *a, uint64_t pa)
{
	return a->mem + pa;
}

#endif
