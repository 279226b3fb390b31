#include "timer-heap.h"

#include <errno.h>
#include <stdlib.h>

static int earlier(const struct timer *a, const struct timer *b)
{
	if (a->deadline_ns != b->deadline_ns)
		return a->deadline_ns < b->deadline_ns;
	return a->seq < b->seq;
}

static void place(struct timer_heap *h, size_t i, struct timer *t)
{
	h->items[i] = t;
	t->slot = i;
}

static void sift_up(struct timer_heap *h, size_t i)
{
	struct timer *t = h->items[i];
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (!earlier(t, h->items[parent]))
			break;
		place(h, i, h->items[parent]);
		i = parent;
	}
	place(h, i, t);
}

static void sift_down(struct timer_heap *h, size_t i)
{
	struct timer *t = h->items[i];
	for (;;) {
		size_t child = 2 * i + 1;
		if (child >= h->len)
			break;
		if (child + 1 < h->len && earlier(h->items[child + 1], h->items[child]))
			child++;
		if (!earlier(h->items[child], t))
			break;
		place(h, i, h->items[child]);
		i = child;
	}
	place(h, i, t);
}

void timer_heap_init(struct timer_heap *h)
{
	h->items = NULL;
	h->len = h->cap = 0;
	h->next_seq = 0;
}

void timer_heap_free(struct timer_heap *h)
{
	for (size_t i = 0; i < h->len; i++)
		h->items[i]->slot = TIMER_NOT_QUEUED;
	free(h->items);
	timer_heap_init(h);
}

int timer_heap_insert(struct timer_heap *h, struct timer *t)
{
	if (h->len == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 16;
		struct timer **items = realloc(h->items, cap * sizeof(*items));
		if (!items) {
			t->slot = TIMER_NOT_QUEUED;
			return -ENOMEM;
		}
		h->items = items;
		h->cap = cap;
	}
	t->seq = h->next_seq++;
	place(h, h->len++, t);
	sift_up(h, t->slot);
	return 0;
}

void timer_heap_remove(struct timer_heap *h, struct timer *t)
{
	size_t i = t->slot;
	if (i == TIMER_NOT_QUEUED || i >= h->len || h->items[i] != t)
		return;
	t->slot = TIMER_NOT_QUEUED;
	struct timer *last = h->items[--h->len];
	if (last == t)
		return;
	place(h, i, last);
	/* The moved timer may belong above or below its new slot. */
	sift_up(h, i);
	sift_down(h, last->slot);
}

struct timer *timer_heap_peek(const struct timer_heap *h)
{
	return h->len ? h->items[0] : NULL;
}

struct timer *timer_heap_pop_due(struct timer_heap *h, uint64_t now_ns)
{
	struct timer *t = timer_heap_peek(h);
	if (!t || t->deadline_ns > now_ns)
		return NULL;
	timer_heap_remove(h, t);
	return t;
}
