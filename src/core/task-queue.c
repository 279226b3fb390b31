#include "task-queue.h"

void task_queue_init(struct task_queue *q)
{
	pthread_mutex_init(&q->lock, NULL);
	q->head = q->tail = NULL;
	q->len = 0;
}

void task_queue_destroy(struct task_queue *q)
{
	struct task *t = task_queue_take_all(q);
	while (t) {
		struct task *next = t->next;
		if (t->drop)
			t->drop(t);
		t = next;
	}
	pthread_mutex_destroy(&q->lock);
}

bool task_queue_push(struct task_queue *q, struct task *t)
{
	t->next = NULL;
	pthread_mutex_lock(&q->lock);
	bool was_empty = q->head == NULL;
	if (q->tail)
		q->tail->next = t;
	else
		q->head = t;
	q->tail = t;
	q->len++;
	pthread_mutex_unlock(&q->lock);
	return was_empty;
}

struct task *task_queue_pop(struct task_queue *q)
{
	pthread_mutex_lock(&q->lock);
	struct task *t = q->head;
	if (t) {
		q->head = t->next;
		if (!q->head)
			q->tail = NULL;
		q->len--;
		t->next = NULL;
	}
	pthread_mutex_unlock(&q->lock);
	return t;
}

struct task *task_queue_take_all(struct task_queue *q)
{
	pthread_mutex_lock(&q->lock);
	struct task *t = q->head;
	q->head = q->tail = NULL;
	q->len = 0;
	pthread_mutex_unlock(&q->lock);
	return t;
}

size_t task_queue_len(struct task_queue *q)
{
	pthread_mutex_lock(&q->lock);
	size_t n = q->len;
	pthread_mutex_unlock(&q->lock);
	return n;
}
