/* The cross-thread task queue: FIFO order, nothing lost under concurrent producers. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/task-queue.h"

struct item {
	struct task task;
	int producer;
	int seq;
};

static int dropped;

static void drop_item(struct task *t)
{
	dropped++;
	free(t);
}

static struct item *new_item(int producer, int seq)
{
	struct item *it = calloc(1, sizeof(*it));
	it->task.drop = drop_item;
	it->producer = producer;
	it->seq = seq;
	return it;
}

static void test_task_queue_is_fifo_and_reports_empty_transitions(void **state)
{
	(void)state;
	struct task_queue q;
	task_queue_init(&q);
	assert_true(task_queue_push(&q, &new_item(0, 0)->task));
	assert_false(task_queue_push(&q, &new_item(0, 1)->task));
	assert_int_equal(task_queue_len(&q), 2);
	for (int i = 0; i < 2; i++) {
		struct item *it = (struct item *)task_queue_pop(&q);
		assert_int_equal(it->seq, i);
		free(it);
	}
	assert_null(task_queue_pop(&q));
	assert_true(task_queue_push(&q, &new_item(0, 2)->task));
	dropped = 0;
	task_queue_destroy(&q);
	assert_int_equal(dropped, 1);
}

enum { PRODUCERS = 4, PER_PRODUCER = 20000 };

static struct task_queue shared;

static void *produce(void *arg)
{
	int p = (int)(intptr_t)arg;
	for (int i = 0; i < PER_PRODUCER; i++)
		task_queue_push(&shared, &new_item(p, i)->task);
	return NULL;
}

static void test_task_queue_loses_nothing_across_threads(void **state)
{
	(void)state;
	pthread_t th[PRODUCERS];
	int next[PRODUCERS] = { 0 };
	task_queue_init(&shared);
	for (int p = 0; p < PRODUCERS; p++)
		pthread_create(&th[p], NULL, produce, (void *)(intptr_t)p);
	int received = 0;
	while (received < PRODUCERS * PER_PRODUCER) {
		struct task *t = task_queue_take_all(&shared);
		while (t) {
			struct item *it = (struct item *)t;
			t = t->next;
			/* Each producer's items arrive in the order it pushed them. */
			assert_int_equal(it->seq, next[it->producer]);
			next[it->producer]++;
			received++;
			free(it);
		}
	}
	for (int p = 0; p < PRODUCERS; p++)
		pthread_join(th[p], NULL);
	assert_null(task_queue_pop(&shared));
	task_queue_destroy(&shared);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_task_queue_is_fifo_and_reports_empty_transitions),
		cmocka_unit_test(test_task_queue_loses_nothing_across_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
