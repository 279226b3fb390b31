/* The futex wait table: which waiters sleep on which address (futex(2), "FUTEX_WAIT").
 *
 * Pure bookkeeping with no locking, no clock and no scheduler, so that it runs on the host
 * in the unit tests. The caller (sched/futex.c) keeps a lock per bucket and holds the
 * key's bucket lock around every call on that key (both buckets' for a requeue), checks
 * the futex word under that same lock before futex_table_enqueue (that is what makes a
 * wake between the check and the sleep impossible to miss), and does the sleeping. Only
 * the total count of waiters is shared between buckets, and it is kept atomically.
 *
 * Keys are the futex word's address: the program and its threads share one address
 * space, so a private and a shared futex at the same address are the same futex. Each
 * address keeps its waiters in arrival order (wakes are FIFO). */
#ifndef RTJS_FUTEX_TABLE_H
#define RTJS_FUTEX_TABLE_H

#include <stdint.h>

#define FUTEX_TABLE_BUCKETS 64 /* power of two */
#define FUTEX_BITSET_ANY UINT32_C(0xffffffff) /* FUTEX_BITSET_MATCH_ANY (linux/futex.h) */

struct futex_waiter {
	uint64_t key;     /* the futex word's address */
	uint32_t bitset;  /* FUTEX_WAIT_BITSET mask; FUTEX_BITSET_ANY for FUTEX_WAIT */
	int queued;       /* 1 from enqueue until woken, requeued away or cancelled */
	void *owner;      /* the sleeping thread (opaque here) */
	struct futex_waiter *next, *prev;
};

struct futex_bucket {
	struct futex_waiter *head, *tail;
};

struct futex_table {
	struct futex_bucket buckets[FUTEX_TABLE_BUCKETS];
	unsigned waiting; /* waiters queued in total */
};

/* Called for each waiter taken off the table by a wake (w->queued is already 0). */
typedef void (*futex_wake_fn)(struct futex_waiter *w, void *ctx);

void futex_table_init(struct futex_table *t);
/* The bucket (0 .. FUTEX_TABLE_BUCKETS-1) that key's waiters are kept in. */
unsigned futex_table_bucket(uint64_t key);
/* Queues w (not already queued) at the tail of key's waiters. */
void futex_table_enqueue(struct futex_table *t, struct futex_waiter *w, uint64_t key, uint32_t bitset);
/* Wakes up to max waiters on key whose bitset shares a bit with `bitset`, oldest first,
 * calling wake for each; returns how many. bitset 0 matches nothing (the caller refuses it). */
int futex_table_wake(struct futex_table *t, uint64_t key, uint32_t bitset, int max, futex_wake_fn wake,
		     void *ctx);
/* FUTEX_REQUEUE: wakes up to nwake waiters on key, then moves up to nrequeue of the rest
 * to key2 (behind key2's own waiters). Returns woken + moved (as FUTEX_CMP_REQUEUE does). */
int futex_table_requeue(struct futex_table *t, uint64_t key, uint64_t key2, int nwake, int nrequeue,
			futex_wake_fn wake, void *ctx);
/* Takes w off the table if it is still queued (a timeout): 1 if it was, 0 if a wake got
 * there first. */
int futex_table_cancel(struct futex_table *t, struct futex_waiter *w);
/* Waiters queued on key (for tests and diagnostics). */
int futex_table_count(const struct futex_table *t, uint64_t key);

#endif
