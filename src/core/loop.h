/*
 * The event loop of one engine (one per CPU). It runs, one at a time:
 *   - tasks posted to it from any thread (input bytes, IRQs, messages from other engines);
 *   - timers that have come due, earliest first, ties in creation order.
 * Between them it sleeps in platform_wait until the next timer or a post. It ends when it is
 * stopped, or when nothing is left that could ever produce work: no timer, no queued task and
 * no reference (an open input, an attached IRQ, a live app...).
 * Whoever runs JavaScript from a task or timer drains the microtask queue before returning,
 * which gives the browser/Node ordering: microtasks after every task.
 */
#ifndef RTJS_LOOP_H
#define RTJS_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "task-queue.h"
#include "timer-heap.h"

struct platform_waiter;

struct loop_timer {
	struct timer t;
	void (*fire)(struct loop_timer *lt); /* on the loop's thread; may re-arm */
};

struct loop {
	struct timer_heap timers;
	struct task_queue inbox;
	struct platform_waiter *waiter;
	int refs;      /* loop thread only */
	bool stopping; /* loop thread only */
};

int loop_init(struct loop *l);
void loop_destroy(struct loop *l);
/* Runs until loop_stop or until no work is left. */
void loop_run(struct loop *l);
/* From the loop's thread. */
void loop_stop(struct loop *l);
void loop_ref(struct loop *l);
void loop_unref(struct loop *l);
/* From any thread. */
void loop_post(struct loop *l, struct task *t);
/* From the loop's thread: fire after delay_ns. Re-arming a queued timer moves it. */
int loop_timer_start(struct loop *l, struct loop_timer *lt, uint64_t delay_ns);
void loop_timer_stop(struct loop *l, struct loop_timer *lt);
static inline void loop_timer_init(struct loop_timer *lt, void (*fire)(struct loop_timer *))
{
	lt->t.slot = TIMER_NOT_QUEUED;
	lt->fire = fire;
}
static inline bool loop_timer_active(const struct loop_timer *lt)
{
	return lt->t.slot != TIMER_NOT_QUEUED;
}

#endif
