/* The bitmap page allocator (mm/pmm-core.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "mm/pmm.h"

#define NPAGES 1000
static uint64_t bits[2 * ((NPAGES + 63) / 64)];

static void init_two_ranges(struct pmm_core *p)
{
	struct phys_range r[] = { { 0x100000, 0x200000 }, { 0x300000, 0x302000 } };
	pmm_core_init(p, bits, NPAGES, r, 2);
}

static void test_pmm_counts_only_the_usable_ranges(void **s)
{
	(void)s;
	struct pmm_core p;
	init_two_ranges(&p);
	assert_int_equal(p.free, 256 + 2);
	assert_int_equal(p.total, 258);
}

static void test_pmm_never_hands_out_pages_outside_usable_ranges(void **s)
{
	(void)s;
	struct pmm_core p;
	init_two_ranges(&p);
	for (int i = 0; i < 258; i++) {
		phys_addr_t pa = pmm_core_alloc(&p);
		assert_true((pa >= 0x100000 && pa < 0x200000) || (pa >= 0x300000 && pa < 0x302000));
		assert_int_equal(pa % PAGE_SIZE, 0);
	}
	assert_int_equal(pmm_core_alloc(&p), 0); /* exhausted */
	assert_int_equal(p.free, 0);
}

static void test_pmm_hands_out_each_page_once(void **s)
{
	(void)s;
	struct pmm_core p;
	init_two_ranges(&p);
	static uint8_t seen[NPAGES];
	memset(seen, 0, sizeof seen);
	phys_addr_t pa;
	while ((pa = pmm_core_alloc(&p)) != 0) {
		assert_int_equal(seen[pa / PAGE_SIZE], 0);
		seen[pa / PAGE_SIZE] = 1;
	}
}

static void test_pmm_free_rejects_double_free_and_foreign_pages(void **s)
{
	(void)s;
	struct pmm_core p;
	init_two_ranges(&p);
	phys_addr_t pa = pmm_core_alloc(&p);
	assert_int_equal(pmm_core_free(&p, pa, 1), 0);
	assert_int_equal(pmm_core_free(&p, pa, 1), -EINVAL);
	assert_int_equal(pmm_core_free(&p, 0x1000, 1), -EINVAL);  /* never free: reserved */
	assert_int_equal(pmm_core_free(&p, pa + 1, 1), -EINVAL);  /* unaligned */
	assert_int_equal(pmm_core_free(&p, (uint64_t)NPAGES * PAGE_SIZE, 1), -EINVAL);
	assert_int_equal(p.free, 258);
}

static void test_pmm_reserve_removes_free_pages(void **s)
{
	(void)s;
	struct pmm_core p;
	init_two_ranges(&p);
	assert_int_equal(pmm_core_reserve(&p, 0x1ff000, 0x301000), 2); /* last page of r0, first of r1 */
	assert_int_equal(p.free, 256);
	for (phys_addr_t pa; (pa = pmm_core_alloc(&p)) != 0;)
		assert_true(pa != 0x1ff000 && pa != 0x300000);
}

static void test_pmm_contig_respects_alignment_and_limit(void **s)
{
	(void)s;
	struct pmm_core p;
	init_two_ranges(&p);
	phys_addr_t a = pmm_core_alloc_contig(&p, 16, 16, 0);
	assert_int_equal(a, 0x100000);
	phys_addr_t b = pmm_core_alloc_contig(&p, 3, 4, 0);
	assert_int_equal(b % (4 * PAGE_SIZE), 0);
	assert_true(b >= a + 16 * PAGE_SIZE);
	/* nothing that large below 1 MiB + 64 KiB is left */
	assert_int_equal(pmm_core_alloc_contig(&p, 8, 1, 0x110000), 0);
	/* 3 pages cannot come from the 2-page range */
	assert_int_equal(pmm_core_free(&p, a, 16), 0);
	assert_int_equal(pmm_core_alloc_contig(&p, 300, 1, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pmm_counts_only_the_usable_ranges),
		cmocka_unit_test(test_pmm_never_hands_out_pages_outside_usable_ranges),
		cmocka_unit_test(test_pmm_hands_out_each_page_once),
		cmocka_unit_test(test_pmm_free_rejects_double_free_and_foreign_pages),
		cmocka_unit_test(test_pmm_reserve_removes_free_pages),
		cmocka_unit_test(test_pmm_contig_respects_alignment_and_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
