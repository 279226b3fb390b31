/* Memory-map normalisation (mm/memmap.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "mm/memmap.h"

static struct phys_range out[MEMMAP_MAX_RANGES];

#define E(b, l, t) { (b), (l), (t) }

static void test_memmap_typical_qemu_map(void **s)
{
	(void)s;
	struct boot_mmap_entry m[] = {
		E(0, 0x9fc00, 1), E(0x9fc00, 0x400, 2), E(0xf0000, 0x10000, 2),
		E(0x100000, 0x3fee0000, 1), E(0x3ffe0000, 0x20000, 2),
	};
	struct phys_range res[] = { { 0, 0x100000 }, { 0x100000, 0x140123 } };
	int n = memmap_usable(m, 5, res, 2, out, MEMMAP_MAX_RANGES);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].start, 0x141000); /* reserved range rounded out to pages */
	assert_int_equal(out[0].end, 0x3ffe0000);
}

static void test_memmap_reserved_wins_over_overlapping_usable(void **s)
{
	(void)s;
	struct boot_mmap_entry m[] = { E(0x100000, 0x100000, 1), E(0x180000, 0x1000, 2), E(0x150000, 0x200000, 1) };
	int n = memmap_usable(m, 3, NULL, 0, out, MEMMAP_MAX_RANGES);
	assert_int_equal(n, 2);
	assert_int_equal(out[0].start, 0x100000);
	assert_int_equal(out[0].end, 0x180000);
	assert_int_equal(out[1].start, 0x181000);
	assert_int_equal(out[1].end, 0x350000); /* overlapping usable entries merged */
}

static void test_memmap_drops_tiny_and_unaligned_pieces(void **s)
{
	(void)s;
	struct boot_mmap_entry m[] = {
		E(0x200010, 0x800, 1),   /* smaller than a page */
		E(0x300800, 0x1900, 1),  /* 0x300800-0x302100 holds one whole page */
		E(0x400000, 0, 1),       /* empty */
	};
	int n = memmap_usable(m, 3, NULL, 0, out, MEMMAP_MAX_RANGES);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].start, 0x301000);
	assert_int_equal(out[0].end, 0x302000);
}

static void test_memmap_unsorted_input_gives_sorted_output(void **s)
{
	(void)s;
	struct boot_mmap_entry m[] = { E(0x900000, 0x1000, 1), E(0x100000, 0x1000, 1), E(0x500000, 0x1000, 1) };
	int n = memmap_usable(m, 3, NULL, 0, out, MEMMAP_MAX_RANGES);
	assert_int_equal(n, 3);
	assert_true(out[0].start < out[1].start && out[1].start < out[2].start);
}

static void test_memmap_wrapping_entry_is_clipped(void **s)
{
	(void)s;
	struct boot_mmap_entry m[] = { E(0xfffffffffffff000ull, 0x10000, 2), E(0x100000, 0x1000, 1) };
	int n = memmap_usable(m, 2, NULL, 0, out, MEMMAP_MAX_RANGES);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].start, 0x100000);
}

static void test_memmap_reports_too_many_fragments(void **s)
{
	(void)s;
	struct boot_mmap_entry m[] = { E(0, 0x10000000, 1) };
	static struct phys_range holes[300];
	for (int i = 0; i < 300; i++)
		holes[i] = (struct phys_range){ (uint64_t)(i * 2 + 1) * 0x1000, (uint64_t)(i * 2 + 2) * 0x1000 };
	struct phys_range small[8];
	assert_int_equal(memmap_usable(m, 1, holes, 300, small, 8), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memmap_typical_qemu_map),
		cmocka_unit_test(test_memmap_reserved_wins_over_overlapping_usable),
		cmocka_unit_test(test_memmap_drops_tiny_and_unaligned_pieces),
		cmocka_unit_test(test_memmap_unsorted_input_gives_sorted_output),
		cmocka_unit_test(test_memmap_wrapping_entry_is_clipped),
		cmocka_unit_test(test_memmap_reports_too_many_fragments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
