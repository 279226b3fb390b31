#include "mm/pmm.h"
#include <errno.h>
#include <string.h>

static int test_bit(const struct pmm_core *p, uint64_t i) { return (p->bits[i / 64] >> (i % 64)) & 1; }
static void set_bit(struct pmm_core *p, uint64_t i) { p->bits[i / 64] |= 1ull << (i % 64); }
static void clear_bit(struct pmm_core *p, uint64_t i) { p->bits[i / 64] &= ~(1ull << (i % 64)); }
static int managed(const struct pmm_core *p, uint64_t i) { return (p->managed[i / 64] >> (i % 64)) & 1; }

static size_t one_bitmap(uint64_t npages)
{
	return (size_t)((npages + 63) / 64 * 8);
}

size_t pmm_core_bitmap_bytes(uint64_t npages)
{
	return 2 * one_bitmap(npages);
}

void pmm_core_init(struct pmm_core *p, uint64_t *bits, uint64_t npages, const struct phys_range *usable,
		   unsigned n)
{
	p->bits = bits;
	p->managed = bits + one_bitmap(npages) / 8;
	p->npages = npages;
	p->free = 0;
	p->hint = 0;
	memset(p->bits, 0xff, one_bitmap(npages));
	memset(p->managed, 0, one_bitmap(npages));
	for (unsigned i = 0; i < n; i++) {
		uint64_t s = usable[i].start / PAGE_SIZE, e = usable[i].end / PAGE_SIZE;
		if (e > npages)
			e = npages;
		for (uint64_t pg = s; pg < e; pg++) {
			if (test_bit(p, pg)) {
				clear_bit(p, pg);
				p->managed[pg / 64] |= 1ull << (pg % 64);
				p->free++;
			}
		}
	}
	p->total = p->free;
}

uint64_t pmm_core_reserve(struct pmm_core *p, uint64_t start, uint64_t end)
{
	uint64_t was_free = 0;
	uint64_t e = (end + PAGE_SIZE - 1) / PAGE_SIZE;
	if (e > p->npages)
		e = p->npages;
	for (uint64_t pg = start / PAGE_SIZE; pg < e; pg++) {
		if (!test_bit(p, pg)) {
			set_bit(p, pg);
			was_free++;
		}
		p->managed[pg / 64] &= ~(1ull << (pg % 64));
	}
	p->free -= was_free;
	p->total -= was_free;
	return was_free;
}

phys_addr_t pmm_core_alloc(struct pmm_core *p)
{
	uint64_t words = (p->npages + 63) / 64;
	for (uint64_t k = 0; k < words; k++) {
		uint64_t w = (p->hint + k) % words;
		uint64_t inv = ~p->bits[w];
		if (!inv)
			continue;
		uint64_t pg = w * 64 + (uint64_t)__builtin_ctzll(inv);
		if (pg >= p->npages)
			continue;
		set_bit(p, pg);
		p->free--;
		p->hint = w;
		return pg * PAGE_SIZE;
	}
	return 0;
}

static int run_free(const struct pmm_core *p, uint64_t first, size_t n)
{
	for (uint64_t pg = first; pg < first + n; pg++)
		if (test_bit(p, pg))
			return 0;
	return 1;
}

phys_addr_t pmm_core_alloc_contig(struct pmm_core *p, size_t npages, size_t align_pages, phys_addr_t max_phys)
{
	if (npages == 0)
		return 0;
	if (align_pages == 0)
		align_pages = 1;
	uint64_t limit = p->npages;
	if (max_phys && max_phys / PAGE_SIZE < limit)
		limit = max_phys / PAGE_SIZE;
	/* Page 0 is never free, so starting at align_pages skips nothing usable. */
	for (uint64_t pg = align_pages; pg + npages <= limit; pg += align_pages) {
		if (!run_free(p, pg, npages))
			continue;
		for (uint64_t i = pg; i < pg + npages; i++)
			set_bit(p, i);
		p->free -= npages;
		return pg * PAGE_SIZE;
	}
	return 0;
}

int pmm_core_free(struct pmm_core *p, phys_addr_t pa, size_t npages)
{
	uint64_t first = pa / PAGE_SIZE;
	if (pa % PAGE_SIZE || first + npages > p->npages || first + npages < first)
		return -EINVAL;
	for (uint64_t pg = first; pg < first + npages; pg++)
		if (!test_bit(p, pg) || !managed(p, pg))
			return -EINVAL;
	for (uint64_t pg = first; pg < first + npages; pg++)
		clear_bit(p, pg);
	p->free += npages;
	return 0;
}
