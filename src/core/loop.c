#include "loop.h"

#include <errno.h>
#include <stddef.h>

#include "platform/platform.h"

#define container_of(p, type, member) ((type *)((char *)(p)-offsetof(type, member)))

int loop_init(struct loop *l)
{
	timer_heap_init(&l->timers);
	task_queue_init(&l->inbox);
	l->refs = 0;
	l->stopping = false;
	l->waiter = platform_waiter_create();
	return l->waiter ? 0 : -ENOMEM;
}

void loop_destroy(struct loop *l)
{
	task_queue_destroy(&l->inbox);
	timer_heap_free(&l->timers);
	platform_waiter_destroy(l->waiter);
	l->waiter = NULL;
}

void loop_stop(struct loop *l)
{
	l->stopping = true;
}

void loop_ref(struct loop *l)
{
	l->refs++;
}

void loop_unref(struct loop *l)
{
	l->refs--;
}

void loop_post(struct loop *l, struct task *t)
{
	task_queue_push(&l->inbox, t);
	platform_wake(l->waiter);
}

int loop_timer_start(struct loop *l, struct loop_timer *lt, uint64_t delay_ns)
{
	timer_heap_remove(&l->timers, &lt->t);
	lt->t.deadline_ns = platform_monotonic_ns() + delay_ns;
	return timer_heap_insert(&l->timers, &lt->t);
}

void loop_timer_stop(struct loop *l, struct loop_timer *lt)
{
	timer_heap_remove(&l->timers, &lt->t);
}

/* Runs the tasks queued before this call; tasks they post wait for the next round. */
static void run_posted(struct loop *l)
{
	size_t n = task_queue_len(&l->inbox);
	while (n-- > 0 && !l->stopping) {
		struct task *t = task_queue_pop(&l->inbox);
		if (!t)
			break;
		t->run(t);
	}
}

/* How many due timers one round fires before the tasks posted to the engine (messages,
 * other apps' work) get their turn: an app with a million timers due at once must not hold
 * the engine for all of them. */
#define MAX_TIMERS_PER_ROUND 64

/* Fires the timers due now, at most MAX_TIMERS_PER_ROUND; timers they start (even with no
 * delay) wait for the next round, as in Node, so a timer that re-arms itself cannot starve
 * the loop. */
static void run_due_timers(struct loop *l)
{
	uint64_t now = platform_monotonic_ns();
	struct timer *t;
	unsigned fired = 0;
	while (!l->stopping && fired++ < MAX_TIMERS_PER_ROUND &&
	       (t = timer_heap_pop_due(&l->timers, now))) {
		struct loop_timer *lt = container_of(t, struct loop_timer, t);
		lt->fire(lt);
	}
}

static bool has_work(struct loop *l)
{
	return l->refs > 0 || timer_heap_size(&l->timers) > 0 || task_queue_len(&l->inbox) > 0;
}

void loop_run(struct loop *l)
{
	l->stopping = false;
	while (!l->stopping) {
		run_due_timers(l);
		run_posted(l);
		if (l->stopping || !has_work(l))
			break;
		if (task_queue_len(&l->inbox) > 0)
			continue;
		struct timer *next = timer_heap_peek(&l->timers);
		platform_wait(l->waiter, next ? next->deadline_ns : UINT64_MAX);
	}
}
