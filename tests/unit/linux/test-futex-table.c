/* The futex wait table (src/platform/x86_64/sched/futex-table.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sched/futex-table.h"

#define WORD_A UINT64_C(0x7f0000001000)
#define WORD_B UINT64_C(0x7f0000001004) /* the next futex word: a different futex */

struct woken {
	struct futex_waiter *order[16];
	int n;
};

static void record(struct futex_waiter *w, void *ctx)
{
	struct woken *k = ctx;
	assert_int_equal(w->queued, 0);
	k->order[k->n++] = w;
}

static void test_futex_wake_is_fifo_and_bounded(void **state)
{
	(void)state;
	struct futex_table t;
	struct futex_waiter w[3];
	struct woken k = { 0 };
	futex_table_init(&t);
	for (int i = 0; i < 3; i++)
		futex_table_enqueue(&t, &w[i], WORD_A, FUTEX_BITSET_ANY);
	assert_int_equal(futex_table_count(&t, WORD_A), 3);
	assert_int_equal(futex_table_wake(&t, WORD_A, FUTEX_BITSET_ANY, 2, record, &k), 2);
	assert_ptr_equal(k.order[0], &w[0]);
	assert_ptr_equal(k.order[1], &w[1]);
	assert_int_equal(w[2].queued, 1);
	assert_int_equal(futex_table_count(&t, WORD_A), 1);
	assert_int_equal(t.waiting, 1);
}

static void test_futex_wake_other_address_wakes_nobody(void **state)
{
	(void)state;
	struct futex_table t;
	struct futex_waiter w;
	futex_table_init(&t);
	futex_table_enqueue(&t, &w, WORD_A, FUTEX_BITSET_ANY);
	assert_int_equal(futex_table_wake(&t, WORD_B, FUTEX_BITSET_ANY, 10, NULL, NULL), 0);
	assert_int_equal(w.queued, 1);
	assert_int_equal(futex_table_count(&t, WORD_B), 0);
}

static void test_futex_bitset_selects_waiters(void **state)
{
	(void)state;
	struct futex_table t;
	struct futex_waiter reader, writer;
	struct woken k = { 0 };
	futex_table_init(&t);
	futex_table_enqueue(&t, &reader, WORD_A, 0x1);
	futex_table_enqueue(&t, &writer, WORD_A, 0x2);
	assert_int_equal(futex_table_wake(&t, WORD_A, 0x2, 10, record, &k), 1);
	assert_ptr_equal(k.order[0], &writer);
	assert_int_equal(reader.queued, 1);
	assert_int_equal(futex_table_wake(&t, WORD_A, 0, 10, record, &k), 0);
	assert_int_equal(reader.queued, 1);
}

static void test_futex_cancel_after_wake_reports_wake(void **state)
{
	(void)state;
	struct futex_table t;
	struct futex_waiter timed_out, woken;
	futex_table_init(&t);
	futex_table_enqueue(&t, &woken, WORD_A, FUTEX_BITSET_ANY);
	futex_table_enqueue(&t, &timed_out, WORD_A, FUTEX_BITSET_ANY);
	assert_int_equal(futex_table_wake(&t, WORD_A, FUTEX_BITSET_ANY, 1, NULL, NULL), 1);
	/* The woken one's timeout fires late: it must see that it was woken. */
	assert_int_equal(futex_table_cancel(&t, &woken), 0);
	assert_int_equal(futex_table_cancel(&t, &timed_out), 1);
	assert_int_equal(futex_table_count(&t, WORD_A), 0);
	assert_int_equal(t.waiting, 0);
}

static void test_futex_requeue_moves_the_rest(void **state)
{
	(void)state;
	struct futex_table t;
	struct futex_waiter cond[4], mutex_waiter;
	struct woken k = { 0 };
	futex_table_init(&t);
	futex_table_enqueue(&t, &mutex_waiter, WORD_B, FUTEX_BITSET_ANY);
	for (int i = 0; i < 4; i++)
		futex_table_enqueue(&t, &cond[i], WORD_A, FUTEX_BITSET_ANY);
	assert_int_equal(futex_table_requeue(&t, WORD_A, WORD_B, 1, 2, record, &k), 3);
	assert_ptr_equal(k.order[0], &cond[0]);
	assert_int_equal(futex_table_count(&t, WORD_A), 1);
	assert_int_equal(futex_table_count(&t, WORD_B), 3);
	/* Requeued waiters queue behind WORD_B's own. */
	k.n = 0;
	assert_int_equal(futex_table_wake(&t, WORD_B, FUTEX_BITSET_ANY, 3, record, &k), 3);
	assert_ptr_equal(k.order[0], &mutex_waiter);
	assert_ptr_equal(k.order[1], &cond[1]);
	assert_ptr_equal(k.order[2], &cond[2]);
	assert_int_equal(cond[3].key, WORD_A);
}

static void test_futex_many_addresses_share_buckets(void **state)
{
	(void)state;
	enum { N = 1000 };
	static struct futex_waiter w[N];
	struct futex_table t;
	futex_table_init(&t);
	for (int i = 0; i < N; i++)
		futex_table_enqueue(&t, &w[i], WORD_A + 4 * (uint64_t)(i % 100), FUTEX_BITSET_ANY);
	for (int i = 0; i < 100; i++)
		assert_int_equal(futex_table_count(&t, WORD_A + 4 * (uint64_t)i), N / 100);
	assert_int_equal(futex_table_wake(&t, WORD_A + 4 * 7, FUTEX_BITSET_ANY, 1000, NULL, NULL), N / 100);
	assert_int_equal(t.waiting, N - N / 100);
	for (int i = 0; i < N; i++)
		assert_int_equal(w[i].queued, i % 100 != 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_futex_wake_is_fifo_and_bounded),
		cmocka_unit_test(test_futex_wake_other_address_wakes_nobody),
		cmocka_unit_test(test_futex_bitset_selects_waiters),
		cmocka_unit_test(test_futex_cancel_after_wake_reports_wake),
		cmocka_unit_test(test_futex_requeue_moves_the_rest),
		cmocka_unit_test(test_futex_many_addresses_share_buckets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
