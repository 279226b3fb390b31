#include "mm/memmap.h"
#include <errno.h>

#define PAGE 4096ull

/* Removes [cut.start, cut.end) from every range in r[0..*n). */
static int subtract(struct phys_range *r, unsigned *n, unsigned max, struct phys_range cut)
{
	unsigned count = *n;
	for (unsigned i = 0; i < count; i++) {
		struct phys_range x = r[i];
		if (cut.end <= x.start || cut.start >= x.end)
			continue;
		int left = cut.start > x.start, right = cut.end < x.end;
		if (left && right) {
			if (*n == max)
				return -ENOSPC;
			r[i].end = cut.start;
			r[(*n)++] = (struct phys_range){ cut.end, x.end };
		} else if (left) {
			r[i].end = cut.start;
		} else if (right) {
			r[i].start = cut.end;
		} else {
			r[i].start = r[i].end = 0;
		}
	}
	return 0;
}

static void sort(struct phys_range *r, unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		struct phys_range x = r[i];
		unsigned j = i;
		for (; j > 0 && r[j - 1].start > x.start; j--)
			r[j] = r[j - 1];
		r[j] = x;
	}
}

/* Page-aligns, drops empties, merges touching ranges; returns the new count. */
static unsigned tidy(struct phys_range *r, unsigned n)
{
	unsigned k = 0;
	for (unsigned i = 0; i < n; i++) {
		uint64_t s = (r[i].start + PAGE - 1) & ~(PAGE - 1), e = r[i].end & ~(PAGE - 1);
		if (r[i].start > UINT64_MAX - PAGE)
			continue;
		if (e > s)
			r[k++] = (struct phys_range){ s, e };
	}
	sort(r, k);
	unsigned m = 0;
	for (unsigned i = 0; i < k; i++) {
		if (m && r[i].start <= r[m - 1].end) {
			if (r[i].end > r[m - 1].end)
				r[m - 1].end = r[i].end;
		} else {
			r[m++] = r[i];
		}
	}
	return m;
}

static struct phys_range entry_range(const struct boot_mmap_entry *e)
{
	uint64_t end = e->base + e->len < e->base ? UINT64_MAX : e->base + e->len;
	return (struct phys_range){ e->base, end };
}

int memmap_usable(const struct boot_mmap_entry *map, unsigned n, const struct phys_range *reserved,
		  unsigned nreserved, struct phys_range *out, unsigned max)
{
	unsigned count = 0;
	for (unsigned i = 0; i < n; i++) {
		if (map[i].type != BOOT_MEM_USABLE || map[i].len == 0)
			continue;
		if (count == max)
			return -ENOSPC;
		out[count++] = entry_range(&map[i]);
	}
	count = tidy(out, count);
	for (unsigned i = 0; i < n; i++) {
		if (map[i].type != BOOT_MEM_USABLE && subtract(out, &count, max, entry_range(&map[i])))
			return -ENOSPC;
	}
	for (unsigned i = 0; i < nreserved; i++) {
		struct phys_range cut = reserved[i];
		/* A reserved range protects every page it touches. */
		cut.start &= ~(PAGE - 1);
		cut.end = cut.end > UINT64_MAX - PAGE ? UINT64_MAX : (cut.end + PAGE - 1) & ~(PAGE - 1);
		if (subtract(out, &count, max, cut))
			return -ENOSPC;
	}
	return (int)tidy(out, count);
}
