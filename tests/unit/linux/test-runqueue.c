/* The scheduler's queues (src/platform/x86_64/sched/runqueue.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sched/runqueue.h"

static void test_runqueue_is_fifo(void **state)
{
	(void)state;
	struct runqueue q;
	struct rq_node a = { 0 }, b = { 0 }, c = { 0 };
	rq_init(&q);
	assert_null(rq_pop(&q));
	rq_push(&q, &a);
	rq_push(&q, &b);
	assert_ptr_equal(rq_pop(&q), &a);
	rq_push(&q, &c);
	rq_push(&q, &a);
	assert_ptr_equal(rq_pop(&q), &b);
	assert_ptr_equal(rq_pop(&q), &c);
	assert_ptr_equal(rq_pop(&q), &a);
	assert_null(rq_pop(&q));
	assert_int_equal(q.runnable, 0);
	assert_int_equal(a.on_queue, 0);
}

static void test_sleepers_wake_in_deadline_order(void **state)
{
	(void)state;
	struct runqueue q;
	struct rq_node late = { 0 }, early = { 0 }, tie = { 0 };
	rq_init(&q);
	assert_int_equal(rq_next_deadline(&q), UINT64_MAX);
	rq_sleep(&q, &late, 3000);
	rq_sleep(&q, &early, 1000);
	rq_sleep(&q, &tie, 1000);
	assert_int_equal(rq_next_deadline(&q), 1000);
	assert_null(rq_expired(&q, 999));
	assert_ptr_equal(rq_expired(&q, 2000), &early);
	assert_ptr_equal(rq_expired(&q, 2000), &tie); /* equal deadlines keep arrival order */
	assert_null(rq_expired(&q, 2000));
	assert_int_equal(rq_next_deadline(&q), 3000);
	assert_ptr_equal(rq_expired(&q, 3000), &late);
	assert_int_equal(q.sleeping, 0);
}

static void test_unsleep_removes_only_sleepers(void **state)
{
	(void)state;
	struct runqueue q;
	struct rq_node a = { 0 }, b = { 0 }, running = { 0 };
	rq_init(&q);
	rq_sleep(&q, &a, 10);
	rq_sleep(&q, &b, 20);
	rq_push(&q, &running);
	assert_int_equal(rq_unsleep(&q, &running), 0);
	assert_int_equal(rq_unsleep(&q, &a), 1);
	assert_int_equal(rq_unsleep(&q, &a), 0);
	assert_ptr_equal(rq_expired(&q, 100), &b);
	assert_ptr_equal(rq_pop(&q), &running);
}

static int is_b_or_c(const struct rq_node *n, void *ctx)
{
	const struct rq_node *const *allowed = ctx;
	return n == allowed[0] || n == allowed[1];
}

static void test_pop_first_skips_threads_pinned_elsewhere(void **state)
{
	(void)state;
	struct runqueue q;
	struct rq_node a = { 0 }, b = { 0 }, c = { 0 };
	const struct rq_node *allowed[2] = { &b, &c };
	rq_init(&q);
	rq_push(&q, &a);
	rq_push(&q, &b);
	rq_push(&q, &c);
	assert_ptr_equal(rq_pop_first(&q, is_b_or_c, allowed), &b);
	assert_ptr_equal(rq_pop_first(&q, is_b_or_c, allowed), &c); /* the tail */
	assert_null(rq_pop_first(&q, is_b_or_c, allowed));
	assert_int_equal(q.runnable, 1);
	rq_push(&q, &b); /* the tail pointer was fixed when c left */
	assert_ptr_equal(rq_pop(&q), &a);
	assert_ptr_equal(rq_pop(&q), &b);
	assert_null(rq_pop(&q));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runqueue_is_fifo),
		cmocka_unit_test(test_sleepers_wake_in_deadline_order),
		cmocka_unit_test(test_unsleep_removes_only_sleepers),
		cmocka_unit_test(test_pop_first_skips_threads_pinned_elsewhere),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
