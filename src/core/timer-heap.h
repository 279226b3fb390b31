/*
 * A binary min-heap of timers ordered by deadline, then by creation order, so that two
 * timers due at the same instant fire in the order they were created (HTML's timer
 * ordering, which Node follows too). Each timer knows its slot, so removal is O(log n).
 * Pure logic: no locking, the owning event loop is the only user.
 */
#ifndef RTJS_TIMER_HEAP_H
#define RTJS_TIMER_HEAP_H

#include <stddef.h>
#include <stdint.h>

struct timer {
	uint64_t deadline_ns;
	uint64_t seq;     /* assigned by timer_heap_insert: creation order */
	size_t slot;      /* index in the heap, TIMER_NOT_QUEUED when not in one */
};

#define TIMER_NOT_QUEUED SIZE_MAX

struct timer_heap {
	struct timer **items;
	size_t len, cap;
	uint64_t next_seq;
};

void timer_heap_init(struct timer_heap *h);
void timer_heap_free(struct timer_heap *h);
/* Returns -ENOMEM when the heap cannot grow; the timer is then not queued. */
int timer_heap_insert(struct timer_heap *h, struct timer *t);
/* Removing a timer that is not queued does nothing. */
void timer_heap_remove(struct timer_heap *h, struct timer *t);
/* The earliest timer, or NULL. */
struct timer *timer_heap_peek(const struct timer_heap *h);
/* Removes and returns the earliest timer whose deadline is <= now_ns, or NULL. */
struct timer *timer_heap_pop_due(struct timer_heap *h, uint64_t now_ns);
static inline size_t timer_heap_size(const struct timer_heap *h) { return h->len; }

#endif
