#include "sched/runqueue.h"

#include <stddef.h>

void rq_init(struct runqueue *q)
{
	q->run_head = q->run_tail = q->sleep_head = NULL;
	q->runnable = q->sleeping = 0;
}

void rq_push(struct runqueue *q, struct rq_node *n)
{
	n->next = NULL;
	if (q->run_tail)
		q->run_tail->next = n;
	else
		q->run_head = n;
	q->run_tail = n;
	n->on_queue = RQ_RUN;
	q->runnable++;
}

struct rq_node *rq_pop(struct runqueue *q)
{
	struct rq_node *n = q->run_head;
	if (!n)
		return NULL;
	q->run_head = n->next;
	if (!q->run_head)
		q->run_tail = NULL;
	n->next = NULL;
	n->on_queue = 0;
	q->runnable--;
	return n;
}

struct rq_node *rq_pop_first(struct runqueue *q, int (*ok)(const struct rq_node *n, void *ctx), void *ctx)
{
	struct rq_node *prev = NULL;
	for (struct rq_node *n = q->run_head; n; prev = n, n = n->next) {
		if (!ok(n, ctx))
			continue;
		if (prev)
			prev->next = n->next;
		else
			q->run_head = n->next;
		if (q->run_tail == n)
			q->run_tail = prev;
		n->next = NULL;
		n->on_queue = 0;
		q->runnable--;
		return n;
	}
	return NULL;
}

void rq_sleep(struct runqueue *q, struct rq_node *n, uint64_t deadline)
{
	struct rq_node **link = &q->sleep_head;
	while (*link && (*link)->deadline <= deadline)
		link = &(*link)->next;
	n->deadline = deadline;
	n->next = *link;
	*link = n;
	n->on_queue = RQ_SLEEP;
	q->sleeping++;
}

int rq_unsleep(struct runqueue *q, struct rq_node *n)
{
	if (n->on_queue != RQ_SLEEP)
		return 0;
	for (struct rq_node **link = &q->sleep_head; *link; link = &(*link)->next) {
		if (*link == n) {
			*link = n->next;
			n->next = NULL;
			n->on_queue = 0;
			q->sleeping--;
			return 1;
		}
	}
	return 0;
}

struct rq_node *rq_expired(struct runqueue *q, uint64_t now)
{
	struct rq_node *n = q->sleep_head;
	if (!n || n->deadline > now)
		return NULL;
	rq_unsleep(q, n);
	return n;
}

uint64_t rq_next_deadline(const struct runqueue *q)
{
	return q->sleep_head ? q->sleep_head->deadline : UINT64_MAX;
}
