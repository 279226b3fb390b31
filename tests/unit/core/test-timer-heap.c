/* The timer heap: earliest first, ties in creation order, removal from anywhere. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/timer-heap.h"

static void test_timer_heap_pops_in_deadline_order(void **state)
{
	(void)state;
	struct timer_heap h;
	struct timer t[5];
	uint64_t deadlines[5] = { 50, 10, 40, 20, 30 };
	timer_heap_init(&h);
	for (int i = 0; i < 5; i++) {
		t[i].deadline_ns = deadlines[i];
		assert_int_equal(timer_heap_insert(&h, &t[i]), 0);
	}
	uint64_t expect[5] = { 10, 20, 30, 40, 50 };
	for (int i = 0; i < 5; i++) {
		struct timer *got = timer_heap_pop_due(&h, 100);
		assert_non_null(got);
		assert_int_equal(got->deadline_ns, expect[i]);
		assert_int_equal(got->slot, TIMER_NOT_QUEUED);
	}
	assert_null(timer_heap_pop_due(&h, 100));
	timer_heap_free(&h);
}

static void test_timer_heap_equal_deadlines_fire_in_creation_order(void **state)
{
	(void)state;
	struct timer_heap h;
	struct timer t[64];
	timer_heap_init(&h);
	for (int i = 0; i < 64; i++) {
		t[i].deadline_ns = 7;
		timer_heap_insert(&h, &t[i]);
	}
	for (int i = 0; i < 64; i++)
		assert_ptr_equal(timer_heap_pop_due(&h, 7), &t[i]);
	timer_heap_free(&h);
}

static void test_timer_heap_does_not_pop_future_timers(void **state)
{
	(void)state;
	struct timer_heap h;
	struct timer a = { .deadline_ns = 1000 };
	timer_heap_init(&h);
	timer_heap_insert(&h, &a);
	assert_null(timer_heap_pop_due(&h, 999));
	assert_ptr_equal(timer_heap_peek(&h), &a);
	assert_ptr_equal(timer_heap_pop_due(&h, 1000), &a);
	timer_heap_free(&h);
}

static void test_timer_heap_remove_from_the_middle_keeps_order(void **state)
{
	(void)state;
	struct timer_heap h;
	enum { N = 200 };
	struct timer t[N];
	timer_heap_init(&h);
	/* A scrambled insertion order, then remove every third timer. */
	for (int i = 0; i < N; i++) {
		t[i].deadline_ns = (uint64_t)((i * 7919) % N);
		timer_heap_insert(&h, &t[i]);
	}
	for (int i = 0; i < N; i += 3)
		timer_heap_remove(&h, &t[i]);
	timer_heap_remove(&h, &t[0]); /* already removed: nothing happens */
	size_t expected = N - (N + 2) / 3;
	assert_int_equal(timer_heap_size(&h), expected);
	uint64_t last = 0;
	size_t n = 0;
	struct timer *x;
	while ((x = timer_heap_pop_due(&h, UINT64_MAX))) {
		assert_true(x->deadline_ns >= last);
		assert_true((x - t) % 3 != 0);
		last = x->deadline_ns;
		n++;
	}
	assert_int_equal(n, expected);
	timer_heap_free(&h);
}

static void test_timer_heap_reinsert_after_remove(void **state)
{
	(void)state;
	struct timer_heap h;
	struct timer a = { .deadline_ns = 5 }, b = { .deadline_ns = 6 };
	timer_heap_init(&h);
	timer_heap_insert(&h, &a);
	timer_heap_insert(&h, &b);
	timer_heap_remove(&h, &a);
	a.deadline_ns = 9;
	timer_heap_insert(&h, &a);
	assert_ptr_equal(timer_heap_pop_due(&h, 100), &b);
	assert_ptr_equal(timer_heap_pop_due(&h, 100), &a);
	timer_heap_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timer_heap_pops_in_deadline_order),
		cmocka_unit_test(test_timer_heap_equal_deadlines_fire_in_creation_order),
		cmocka_unit_test(test_timer_heap_does_not_pop_future_timers),
		cmocka_unit_test(test_timer_heap_remove_from_the_middle_keeps_order),
		cmocka_unit_test(test_timer_heap_reinsert_after_remove),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
