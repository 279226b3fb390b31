/* A libuv loop on a thread of its own (loop-thread.h). */
#define _GNU_SOURCE
#include "loop-thread.h"

#include <errno.h>

static void on_kick(uv_async_t *h)
{
	struct loop_thread *t = h->data;
	t->on_kick(t->ctx);
}

static void close_handle(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

static void on_stop(uv_async_t *h)
{
	struct loop_thread *t = h->data;
	if (t->on_stop)
		t->on_stop(t->ctx);
	uv_walk(&t->loop, close_handle, NULL);
}

static void *run(void *arg)
{
	struct loop_thread *t = arg;
	uv_run(&t->loop, UV_RUN_DEFAULT); /* ends when on_stop closed the handles and I/O drained */
	return NULL;
}

int loop_thread_init(struct loop_thread *t, void (*kick)(void *ctx), void (*stop)(void *ctx),
		     void *ctx)
{
	t->on_kick = kick;
	t->on_stop = stop;
	t->ctx = ctx;
	t->running = 0;
	int rc = uv_loop_init(&t->loop);
	if (rc)
		return rc;
	uv_async_init(&t->loop, &t->kick, on_kick);
	uv_async_init(&t->loop, &t->stop, on_stop);
	t->kick.data = t->stop.data = t;
	return 0;
}

int loop_thread_start(struct loop_thread *t, const char *name)
{
	if (pthread_create(&t->thread, NULL, run, t))
		return -EAGAIN;
	pthread_setname_np(t->thread, name);
	t->running = 1;
	return 0;
}

void loop_thread_kick(struct loop_thread *t)
{
	uv_async_send(&t->kick);
}

void loop_thread_stop(struct loop_thread *t)
{
	if (!t->running)
		return;
	t->running = 0;
	uv_async_send(&t->stop);
	pthread_join(t->thread, NULL);
	uv_loop_close(&t->loop);
}
