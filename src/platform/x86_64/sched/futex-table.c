#include "sched/futex-table.h"

#include <stddef.h>

/* Futex words are 4-byte aligned: drop the low bits, then mix (Fibonacci hashing, Knuth
 * TAOCP vol. 3, 6.4) so that neighbouring words land in different buckets. */
#define FUTEX_HASH_MULT UINT64_C(0x9e3779b97f4a7c15)
#define FUTEX_HASH_SHIFT 58 /* 64 - log2(FUTEX_TABLE_BUCKETS) */

static unsigned bucket_index(uint64_t key)
{
	return (unsigned)(((key >> 2) * FUTEX_HASH_MULT) >> FUTEX_HASH_SHIFT);
}

unsigned futex_table_bucket(uint64_t key)
{
	return bucket_index(key);
}

static struct futex_bucket *bucket_of(struct futex_table *t, uint64_t key)
{
	return &t->buckets[bucket_index(key)];
}

static void unlink_waiter(struct futex_table *t, struct futex_waiter *w)
{
	struct futex_bucket *b = bucket_of(t, w->key);
	if (w->prev)
		w->prev->next = w->next;
	else
		b->head = w->next;
	if (w->next)
		w->next->prev = w->prev;
	else
		b->tail = w->prev;
	w->next = w->prev = NULL;
	w->queued = 0;
	__atomic_sub_fetch(&t->waiting, 1, __ATOMIC_RELAXED);
}

static void append_waiter(struct futex_table *t, struct futex_waiter *w)
{
	struct futex_bucket *b = bucket_of(t, w->key);
	w->next = NULL;
	w->prev = b->tail;
	if (b->tail)
		b->tail->next = w;
	else
		b->head = w;
	b->tail = w;
	w->queued = 1;
	__atomic_add_fetch(&t->waiting, 1, __ATOMIC_RELAXED);
}

void futex_table_init(struct futex_table *t)
{
	for (unsigned i = 0; i < FUTEX_TABLE_BUCKETS; i++)
		t->buckets[i].head = t->buckets[i].tail = NULL;
	t->waiting = 0;
}

void futex_table_enqueue(struct futex_table *t, struct futex_waiter *w, uint64_t key, uint32_t bitset)
{
	w->key = key;
	w->bitset = bitset;
	append_waiter(t, w);
}

int futex_table_wake(struct futex_table *t, uint64_t key, uint32_t bitset, int max, futex_wake_fn wake,
		     void *ctx)
{
	int n = 0;
	struct futex_waiter *w = bucket_of(t, key)->head;
	while (w && n < max) {
		struct futex_waiter *next = w->next;
		if (w->key == key && (w->bitset & bitset)) {
			unlink_waiter(t, w);
			n++;
			if (wake)
				wake(w, ctx);
		}
		w = next;
	}
	return n;
}

int futex_table_requeue(struct futex_table *t, uint64_t key, uint64_t key2, int nwake, int nrequeue,
			futex_wake_fn wake, void *ctx)
{
	int woken = futex_table_wake(t, key, FUTEX_BITSET_ANY, nwake, wake, ctx);
	if (key == key2)
		return woken;
	int moved = 0;
	struct futex_waiter *w = bucket_of(t, key)->head;
	while (w && moved < nrequeue) {
		struct futex_waiter *next = w->next;
		if (w->key == key) {
			unlink_waiter(t, w);
			w->key = key2;
			append_waiter(t, w);
			moved++;
		}
		w = next;
	}
	return woken + moved;
}

int futex_table_cancel(struct futex_table *t, struct futex_waiter *w)
{
	if (!w->queued)
		return 0;
	unlink_waiter(t, w);
	return 1;
}

int futex_table_count(const struct futex_table *t, uint64_t key)
{
	int n = 0;
	const struct futex_bucket *b = &t->buckets[bucket_index(key)];
	for (const struct futex_waiter *w = b->head; w; w = w->next)
		n += w->key == key;
	return n;
}
