/* The scheduler's queues as pure lists (no locking, no clock): the FIFO of runnable
 * threads and the list of sleepers ordered by deadline. sched/thread.c holds its lock
 * around every call; the unit tests run this file on the host. */
#ifndef RTJS_RUNQUEUE_H
#define RTJS_RUNQUEUE_H

#include <stdint.h>

struct rq_node {
	struct rq_node *next;
	uint64_t deadline; /* sleepers: monotonic ns to wake at */
	int on_queue;      /* 0 none, RQ_RUN or RQ_SLEEP */
};

#define RQ_RUN 1
#define RQ_SLEEP 2

struct runqueue {
	struct rq_node *run_head, *run_tail;
	struct rq_node *sleep_head; /* earliest deadline first */
	unsigned runnable, sleeping;
};

void rq_init(struct runqueue *q);
/* Appends n (on no queue) to the runnable FIFO. */
void rq_push(struct runqueue *q, struct rq_node *n);
/* The oldest runnable node, removed; NULL when none. */
struct rq_node *rq_pop(struct runqueue *q);
/* The oldest runnable node for which ok(n, ctx) is true, removed; NULL when none. */
struct rq_node *rq_pop_first(struct runqueue *q, int (*ok)(const struct rq_node *n, void *ctx), void *ctx);
/* Inserts n (on no queue) among the sleepers, after those with an earlier or equal deadline. */
void rq_sleep(struct runqueue *q, struct rq_node *n, uint64_t deadline);
/* Removes n from the sleepers if it is there (woken before its deadline); 1 if it was. */
int rq_unsleep(struct runqueue *q, struct rq_node *n);
/* Removes and returns the earliest sleeper whose deadline is <= now; NULL when none. */
struct rq_node *rq_expired(struct runqueue *q, uint64_t now);
/* The earliest deadline, or UINT64_MAX when nobody sleeps. */
uint64_t rq_next_deadline(const struct runqueue *q);

#endif
