/* Page-table building over a fake memory arena (mm/pt.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "arena.h"
#include "mm/pt.h"

#define ARENA_PAGES 64

struct fake {
	struct arena a;
	uint8_t used[ARENA_PAGES];
	int live;
	int fail_alloc;
};

static uint64_t *f_table(void *ctx, uint64_t pa) { return arena_at(&((struct fake *)ctx)->a, pa); }

static uint64_t f_alloc(void *ctx)
{
	struct fake *f = ctx;
	if (f->fail_alloc)
		return 0;
	for (int i = 1; i < ARENA_PAGES; i++) {
		if (!f->used[i]) {
			f->used[i] = 1;
			f->live++;
			memset(arena_at(&f->a, (uint64_t)i * 4096), 0, 4096);
			return (uint64_t)i * 4096;
		}
	}
	return 0;
}

static void f_free(void *ctx, uint64_t pa)
{
	struct fake *f = ctx;
	assert_true(f->used[pa / 4096]);
	f->used[pa / 4096] = 0;
	f->live--;
}

static struct fake fk;
static struct pt_env env = { f_table, f_alloc, f_free, &fk };
static uint64_t root;

static int setup(void **s)
{
	(void)s;
	memset(&fk, 0, sizeof fk);
	arena_init(&fk.a, ARENA_PAGES * 4096);
	root = f_alloc(&fk);
	return 0;
}

static int teardown(void **s)
{
	(void)s;
	arena_free(&fk.a);
	return 0;
}

static void test_pt_map_then_lookup_returns_address_and_flags(void **s)
{
	(void)s;
	assert_int_equal(pt_map(&env, root, 0x400000, 0x1234000, PTE_W | PTE_NX), 0);
	uint64_t pte, size;
	assert_int_equal(pt_lookup(&env, root, 0x400abc, &pte, &size), 0);
	assert_int_equal(size, 4096);
	assert_int_equal(pte & PTE_ADDR, 0x1234000);
	assert_true((pte & (PTE_P | PTE_W | PTE_NX)) == (PTE_P | PTE_W | PTE_NX));
	assert_int_equal(fk.live, 4); /* root + PDPT + PD + PT */
	assert_int_equal(pt_lookup(&env, root, 0x401000, &pte, &size), -ENOENT);
}

static void test_pt_intermediate_tables_are_shared(void **s)
{
	(void)s;
	assert_int_equal(pt_map(&env, root, 0x400000, 0x1000, PTE_W), 0);
	assert_int_equal(pt_map(&env, root, 0x401000, 0x2000, PTE_W), 0);
	assert_int_equal(fk.live, 4);
	assert_int_equal(pt_map(&env, root, 0xffff800000000000ull, 0x3000, PTE_W), 0);
	assert_int_equal(fk.live, 7);
	uint64_t *pml4 = f_table(&fk, root);
	assert_true(pml4[0] & PTE_P);
	assert_true(pml4[256] & PTE_P);
}

static void test_pt_unmap_returns_old_entry_and_clears(void **s)
{
	(void)s;
	uint64_t old = 0, pte, size;
	assert_int_equal(pt_unmap(&env, root, 0x400000, &old), -ENOENT);
	pt_map(&env, root, 0x400000, 0x5000, 0);
	assert_int_equal(pt_unmap(&env, root, 0x400000, &old), 0);
	assert_int_equal(old & PTE_ADDR, 0x5000);
	assert_int_equal(pt_lookup(&env, root, 0x400000, &pte, &size), -ENOENT);
}

static void test_pt_2m_pages_and_conflicts(void **s)
{
	(void)s;
	uint64_t pte, size;
	assert_int_equal(pt_map_2m(&env, root, 0x200000, 0x400000, PTE_W), 0);
	assert_int_equal(pt_lookup(&env, root, 0x2abcde, &pte, &size), 0);
	assert_int_equal(size, 1 << 21);
	assert_int_equal(pte & PTE_ADDR_2M, 0x400000);
	assert_int_equal(pt_map(&env, root, 0x201000, 0x9000, PTE_W), -EEXIST);
	assert_int_equal(pt_map_2m(&env, root, 0x201000, 0x400000, PTE_W), -EINVAL);
	pt_map(&env, root, 0x600000, 0x9000, PTE_W);
	assert_int_equal(pt_map_2m(&env, root, 0x600000, 0x400000, PTE_W), -EEXIST);
}

static void test_pt_set_flags_keeps_address(void **s)
{
	(void)s;
	uint64_t pte, size;
	pt_map(&env, root, 0x7000, 0xabc000, PTE_W);
	assert_int_equal(pt_set_flags(&env, root, 0x7000, PTE_NX | PTE_U), 0);
	pt_lookup(&env, root, 0x7000, &pte, &size);
	assert_int_equal(pte & PTE_ADDR, 0xabc000);
	assert_false(pte & PTE_W);
	assert_true(pte & PTE_NX);
	/* a user leaf is reachable from user mode: U on every level */
	uint64_t *pml4 = f_table(&fk, root);
	assert_true(pml4[0] & PTE_U);
	assert_int_equal(pt_set_flags(&env, root, 0x8000, 0), -ENOENT);
}

static void test_pt_out_of_table_memory_is_reported(void **s)
{
	(void)s;
	fk.fail_alloc = 1;
	assert_int_equal(pt_map(&env, root, 0x400000, 0x1000, 0), -ENOMEM);
}

static void test_pt_free_tables_returns_every_table(void **s)
{
	(void)s;
	for (uint64_t va = 0; va < 0x600000; va += 0x1000)
		assert_int_equal(pt_map(&env, root, va + 0x7f0000000000ull, 0x1000, PTE_W), 0);
	pt_map(&env, root, 0x1000, 0x1000, 0);
	pt_map(&env, root, 0xffff800000000000ull, 0x1000, 0);
	int kernel_tables = 3;
	pt_free_tables(&env, root, 0, 255);
	assert_int_equal(fk.live, 1 + kernel_tables);
	uint64_t *pml4 = f_table(&fk, root);
	assert_false(pml4[0] & PTE_P);
	assert_true(pml4[256] & PTE_P);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pt_map_then_lookup_returns_address_and_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pt_intermediate_tables_are_shared, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pt_unmap_returns_old_entry_and_clears, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pt_2m_pages_and_conflicts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pt_set_flags_keeps_address, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pt_out_of_table_memory_is_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pt_free_tables_returns_every_table, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
