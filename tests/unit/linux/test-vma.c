/* The program's memory areas (src/platform/x86_64/linux/vma.c) over fake page tables. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fake-kernel.h"
#include "linux/fs.h"
#include "linux/vma.h"
#include "mm/paging.h"

#define P PAGE_SIZE
#define A UINT64_C(0x7f0000000000) /* an mmap-area address */

static struct mm mm;

static int setup(void **state)
{
	(void)state;
	fake_reset();
	assert_int_equal(mm_init(&mm), 0);
	current_mm = &mm;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	vma_unmap(&mm, 0, USER_LIMIT);
	assert_int_equal(fake_pages_live(), 0); /* unmapping everything frees every page */
	current_mm = NULL;
	return 0;
}

static int areas(void)
{
	int n = 0;
	for (struct vma *v = mm.head; v; v = v->next)
		n++;
	return n;
}

static void test_vma_prot_none_reservation_costs_no_memory(void **state)
{
	(void)state;
	assert_int_equal(vma_map(&mm, A, UINT64_C(1) << 32, PROT_NONE, NULL, 0, 0, NULL), 0);
	assert_int_equal(fake_pages_live(), 0);
	assert_int_equal(vma_check(&mm, A, 8, 0), 0); /* a syscall may not read through it */
	assert_int_equal(vma_fault(&mm, A + 5 * P, 0, 0), -EFAULT);
	assert_int_equal(fake_pages_live(), 0);
}

static void test_vma_demand_zero_fault_maps_one_page(void **state)
{
	(void)state;
	assert_int_equal(vma_map(&mm, A, 16 * P, PROT_READ | PROT_WRITE, NULL, 0, 0, NULL), 0);
	assert_int_equal(fake_pages_live(), 0);
	assert_int_equal(vma_fault(&mm, A + 3 * P + 17, 1, 0), 0);
	assert_int_equal(fake_pages_live(), 1);
	assert_int_equal(fake_page_flags(A + 3 * P), VM_READ | VM_WRITE); /* NX: no PROT_EXEC */
	const uint8_t *page = fake_page(A + 3 * P);
	for (size_t i = 0; i < P; i++)
		assert_int_equal(page[i], 0);
	assert_int_equal(vma_fault(&mm, A + 3 * P, 0, 1), -EFAULT); /* no instruction fetch */
}

static void test_vma_unmap_middle_splits_and_frees(void **state)
{
	(void)state;
	assert_int_equal(vma_map(&mm, A, 10 * P, PROT_READ | PROT_WRITE, NULL, 0, 0, NULL), 0);
	for (int i = 0; i < 10; i++)
		assert_int_equal(vma_fault(&mm, A + (uint64_t)i * P, 1, 0), 0);
	assert_int_equal(vma_unmap(&mm, A + 3 * P, 2 * P), 0);
	assert_int_equal(areas(), 2);
	assert_int_equal(fake_pages_live(), 8);
	assert_null(vma_find(&mm, A + 4 * P));
	assert_non_null(vma_find(&mm, A + 2 * P));
	assert_int_equal(vma_find(&mm, A + 5 * P)->start, A + 5 * P);
	assert_int_equal(fake_page_flags(A + 3 * P), -1);
	assert_int_equal(vma_check(&mm, A, 10 * P, 0), 0);
	assert_true(fake_shootdowns() > 0); /* other CPUs must forget the freed pages */
}

static void test_vma_mprotect_changes_present_pages(void **state)
{
	(void)state;
	assert_int_equal(vma_map(&mm, A, 4 * P, PROT_READ | PROT_WRITE, NULL, 0, 0, NULL), 0);
	assert_int_equal(vma_fault(&mm, A + P, 1, 0), 0);
	/* V8's code pages: written, then made executable and read-only (W^X). */
	assert_int_equal(vma_protect(&mm, A + P, P, PROT_READ | PROT_EXEC), 0);
	assert_int_equal(fake_page_flags(A + P), VM_READ | VM_EXEC);
	assert_int_equal(areas(), 3);
	assert_int_equal(vma_fault(&mm, A + P, 1, 0), -EFAULT);
	assert_int_equal(vma_fault(&mm, A + P, 0, 1), 0);
	assert_int_equal(vma_protect(&mm, A + P, P, PROT_READ | PROT_WRITE), 0);
	assert_int_equal(fake_page_flags(A + P), VM_READ | VM_WRITE);
	/* Part of the range unmapped: Linux says ENOMEM and so must we. */
	assert_int_equal(vma_protect(&mm, A + 3 * P, 2 * P, PROT_READ), -ENOMEM);
}

static void test_vma_prot_none_keeps_contents(void **state)
{
	(void)state;
	assert_int_equal(vma_map(&mm, A, 2 * P, PROT_READ | PROT_WRITE, NULL, 0, 0, NULL), 0);
	assert_int_equal(vma_fault(&mm, A, 1, 0), 0);
	memcpy(fake_page(A), "kept", 5);
	assert_int_equal(vma_protect(&mm, A, 2 * P, PROT_NONE), 0);
	assert_int_equal(fake_page_flags(A), -1); /* not present: any access faults */
	assert_int_equal(vma_fault(&mm, A, 0, 0), -EFAULT);
	assert_int_equal(vma_protect(&mm, A, 2 * P, PROT_READ), 0);
	assert_int_equal(vma_fault(&mm, A, 0, 0), 0);
	assert_string_equal(fake_page(A), "kept");
}

static void test_vma_dontneed_reads_zero_again(void **state)
{
	(void)state;
	assert_int_equal(vma_map(&mm, A, 2 * P, PROT_READ | PROT_WRITE, NULL, 0, 0, NULL), 0);
	assert_int_equal(vma_fault(&mm, A, 1, 0), 0);
	memcpy(fake_page(A), "old", 4);
	assert_int_equal(vma_discard(&mm, A, 2 * P), 0);
	assert_int_equal(fake_pages_live(), 0);
	assert_int_equal(vma_fault(&mm, A, 0, 0), 0);
	assert_int_equal(((const char *)fake_page(A))[0], 0);
}

static void test_vma_dontneed_frees_prot_none_pages(void **state)
{
	(void)state;
	assert_int_equal(vma_map(&mm, A, 2 * P, PROT_READ | PROT_WRITE, NULL, 0, 0, NULL), 0);
	assert_int_equal(vma_fault(&mm, A, 1, 0), 0);
	memcpy(fake_page(A), "old", 4);
	/* V8's decommit: no access, then the pages are given back. */
	assert_int_equal(vma_protect(&mm, A, 2 * P, PROT_NONE), 0);
	assert_int_equal(vma_discard(&mm, A, 2 * P), 0);
	assert_int_equal(fake_pages_live(), 0);
	assert_int_equal(vma_protect(&mm, A, 2 * P, PROT_READ | PROT_WRITE), 0);
	assert_int_equal(vma_fault(&mm, A, 0, 0), 0);
	assert_int_equal(((const char *)fake_page(A))[0], 0); /* zero, as on Linux */
}

static void test_vma_map_fixed_replaces_the_middle(void **state)
{
	(void)state;
	static uint8_t contents[4 * 4096];
	memset(contents, 'f', sizeof(contents));
	struct node file = { .path = "/lib/x.so", .kind = NODE_FILE, .mode = S_IFREG | 0644, .ino = 9,
			     .data = contents, .size = sizeof(contents) };
	assert_int_equal(vma_map(&mm, A, 4 * P, PROT_READ, &file, 0, sizeof(contents), NULL), 0);
	assert_int_equal(vma_fault(&mm, A + P, 0, 0), 0);
	assert_int_equal(((const uint8_t *)fake_page(A + P))[0], 'f');
	assert_int_equal(vma_map(&mm, A + P, 2 * P, PROT_READ | PROT_WRITE, NULL, 0, 0, NULL), 0);
	assert_int_equal(areas(), 3);
	assert_int_equal(fake_pages_live(), 0); /* the replaced file page is gone */
	assert_int_equal(vma_fault(&mm, A + P, 1, 0), 0);
	assert_int_equal(((const uint8_t *)fake_page(A + P))[0], 0);
	/* The tail keeps its file offset. */
	assert_int_equal(vma_find(&mm, A + 3 * P)->file_off, 3 * P);
	assert_int_equal(vma_fault(&mm, A + 3 * P, 0, 0), 0);
	assert_int_equal(((const uint8_t *)fake_page(A + 3 * P))[100], 'f');
}

static void test_vma_file_tail_reads_zero(void **state)
{
	(void)state;
	static uint8_t contents[P + 100];
	memset(contents, 'd', sizeof(contents));
	struct node file = { .path = "/bin/p", .kind = NODE_FILE, .mode = S_IFREG | 0755, .ino = 3,
			     .data = contents, .size = sizeof(contents) };
	/* A data segment: file bytes up to P + 50, then .bss. */
	assert_int_equal(vma_map(&mm, A, 2 * P, PROT_READ | PROT_WRITE, &file, 0, P + 50, NULL), 0);
	assert_int_equal(vma_fault(&mm, A + P, 1, 0), 0);
	const uint8_t *page = fake_page(A + P);
	assert_int_equal(page[49], 'd');
	assert_int_equal(page[50], 0);
	assert_int_equal(page[99], 0);
}

static void test_vma_find_free_is_top_down_and_honours_hints(void **state)
{
	(void)state;
	uint64_t len = 64 * P;
	uint64_t first = vma_find_free(&mm, len, 0);
	assert_int_equal(first, MMAP_TOP - len);
	assert_int_equal(vma_map(&mm, first, len, PROT_NONE, NULL, 0, 0, NULL), 0);
	uint64_t second = vma_find_free(&mm, len, 0);
	assert_int_equal(second, first - len);
	assert_int_equal(vma_find_free(&mm, len, A), A); /* a free hint is taken */
	assert_int_equal(vma_find_free(&mm, len, first + P), second); /* a busy one is not */
	/* A gap between two areas that is big enough is found when it is the highest. */
	assert_int_equal(vma_map(&mm, second, len, PROT_NONE, NULL, 0, 0, NULL), 0);
	assert_int_equal(vma_unmap(&mm, first, 8 * P), 0);
	assert_int_equal(vma_find_free(&mm, 8 * P, 0), first);
	assert_int_equal(vma_find_free(&mm, 9 * P, 0), second - 9 * P);
}

static void test_vma_rejects_bad_ranges(void **state)
{
	(void)state;
	assert_int_equal(vma_map(&mm, A + 1, P, PROT_READ, NULL, 0, 0, NULL), -EINVAL);
	assert_int_equal(vma_map(&mm, A, 0, PROT_READ, NULL, 0, 0, NULL), -EINVAL);
	assert_int_equal(vma_map(&mm, USER_LIMIT - P, 2 * P, PROT_READ, NULL, 0, 0, NULL), -EINVAL);
	assert_int_equal(vma_check(&mm, USER_LIMIT - 8, 16, 0), 0);
	assert_int_equal(areas(), 0);
}

static void test_vma_maps_file_lists_areas(void **state)
{
	(void)state;
	assert_int_equal(vma_map(&mm, STACK_TOP - 2 * P, 2 * P, PROT_READ | PROT_WRITE, NULL, 0, 0, "[stack]"),
			 0);
	assert_int_equal(vma_map(&mm, A, P, PROT_READ | PROT_EXEC, NULL, 0, 0, NULL), 0);
	char buf[512];
	size_t n = vma_format_maps(buf, sizeof(buf) - 1);
	buf[n] = 0;
	/* glibc's pthread_getattr_np parses "start-end perms offset dev inode path". */
	assert_non_null(strstr(buf, "7f0000000000-7f0000001000 r-xp 00000000 00:00 0 \n"));
	assert_non_null(strstr(buf, "7fffffffd000-7ffffffff000 rw-p 00000000 00:00 0 [stack]\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_vma_prot_none_reservation_costs_no_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vma_demand_zero_fault_maps_one_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vma_unmap_middle_splits_and_frees, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vma_mprotect_changes_present_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vma_prot_none_keeps_contents, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vma_dontneed_reads_zero_again, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vma_dontneed_frees_prot_none_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vma_map_fixed_replaces_the_middle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vma_file_tail_reads_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vma_find_free_is_top_down_and_honours_hints, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vma_rejects_bad_ranges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vma_maps_file_lists_areas, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
