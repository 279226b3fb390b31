/* The memory system calls' argument checks (src/platform/x86_64/linux/sys-mm.c): ranges that
 * wrap around 2^64 or leave the lower half, offsets that wrap, the lowest 64 KiB, and a
 * break past the lower half are refused with Linux's errors and change nothing. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fake-kernel.h"
#include "linux/fd.h"
#include "linux/fs.h"
#include "linux/syscall.h"
#include "linux/vma.h"

#define P PAGE_SIZE
#define A UINT64_C(0x7f0000000000) /* an mmap-area address */
#define HEAP UINT64_C(0x600000)
/* mman-common.h */
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define RW (PROT_READ | PROT_WRITE)

static struct mm mm;

static int setup(void **state)
{
	(void)state;
	fake_reset();
	assert_int_equal(mm_init(&mm), 0);
	mm.brk_start = mm.brk = HEAP;
	current_mm = &mm;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	vma_unmap(&mm, 0, USER_LIMIT);
	current_mm = NULL;
	return 0;
}

static long map_fixed(uint64_t at, uint64_t len)
{
	return sys_mmap(at, len, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, (uint64_t)-1, 0);
}

static void test_mprotect_with_a_wrapping_length_is_refused(void **state)
{
	(void)state;
	assert_int_equal(map_fixed(A, P), (long)A);
	/* len near 2^64 rounds up to 0: unchecked, that reports success and changes nothing */
	assert_int_equal(sys_mprotect(A, UINT64_MAX - 10, PROT_READ), -ENOMEM);
	assert_int_equal(vma_find(&mm, A)->prot, RW);
	assert_int_equal(sys_mprotect(A, USER_LIMIT, PROT_READ), -ENOMEM);
	assert_int_equal(sys_mprotect(A, P, PROT_READ), 0);
	assert_int_equal(vma_find(&mm, A)->prot, PROT_READ);
}

static void test_munmap_and_madvise_refuse_ranges_outside_the_lower_half(void **state)
{
	(void)state;
	assert_int_equal(map_fixed(A, P), (long)A);
	assert_int_equal(sys_munmap(A, UINT64_MAX - 10), -EINVAL);
	assert_int_equal(sys_munmap(A, USER_LIMIT - A + P), -EINVAL);
	assert_int_equal(sys_munmap(USER_LIMIT, P), -EINVAL);
	assert_non_null(vma_find(&mm, A)); /* nothing was unmapped */
	assert_int_equal(sys_madvise(A, UINT64_MAX - 10, 4), -EINVAL);
	assert_int_equal(sys_madvise(A, USER_LIMIT, 4), -ENOMEM);
	assert_int_equal(sys_munmap(A, P), 0);
	assert_null(vma_find(&mm, A));
}

static void test_mmap_refuses_low_fixed_addresses_and_wrapping_offsets(void **state)
{
	(void)state;
	assert_int_equal(map_fixed(0, P), -EPERM);
	assert_int_equal(map_fixed(0x1000, P), -EPERM);
	assert_null(mm.head);
	assert_int_equal(map_fixed(USER_LIMIT - P, 2 * P), -EINVAL);
	assert_int_equal(sys_mmap(0, P, RW, MAP_PRIVATE | MAP_ANONYMOUS, (uint64_t)-1,
				  UINT64_MAX - P + 1), -EOVERFLOW);
	assert_int_equal(map_fixed(0x10000, P), 0x10000);
}

static void test_brk_past_the_lower_half_keeps_the_break(void **state)
{
	(void)state;
	assert_int_equal(sys_brk(HEAP + 3 * P), (long)(HEAP + 3 * P));
	assert_non_null(vma_find(&mm, HEAP));
	/* page_up(2^64 - 1) is 0: unchecked, that unmaps the heap and sets the break to 2^64 - 1 */
	assert_int_equal(sys_brk(UINT64_MAX), (long)(HEAP + 3 * P));
	assert_int_equal(sys_brk(USER_LIMIT), (long)(HEAP + 3 * P));
	assert_non_null(vma_find(&mm, HEAP));
	assert_int_equal(mm.brk, HEAP + 3 * P);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mprotect_with_a_wrapping_length_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_munmap_and_madvise_refuse_ranges_outside_the_lower_half, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mmap_refuses_low_fixed_addresses_and_wrapping_offsets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_brk_past_the_lower_half_keeps_the_break, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
