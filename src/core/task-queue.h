/*
 * A FIFO of tasks that any thread may push to and one thread (the owning event loop)
 * drains. Tasks are intrusive: the producer allocates them, the consumer runs and frees
 * them. Used for everything that crosses threads: console input, IRQs, IPC messages.
 */
#ifndef RTJS_TASK_QUEUE_H
#define RTJS_TASK_QUEUE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct task {
	struct task *next;
	/* Runs on the consumer's thread; owns the task from then on (frees it). */
	void (*run)(struct task *t);
	/* Frees the task without running it, when its queue is torn down. */
	void (*drop)(struct task *t);
};

struct task_queue {
	pthread_mutex_t lock;
	struct task *head, *tail;
	size_t len;
};

void task_queue_init(struct task_queue *q);
/* Drops every task still queued. */
void task_queue_destroy(struct task_queue *q);
/* Returns true if the queue was empty before (the consumer may need a wake-up). */
bool task_queue_push(struct task_queue *q, struct task *t);
/* Removes and returns the oldest task, or NULL. */
struct task *task_queue_pop(struct task_queue *q);
/* Detaches the whole queue at once: a NULL-terminated list in FIFO order. */
struct task *task_queue_take_all(struct task_queue *q);
size_t task_queue_len(struct task_queue *q);

#endif
