/* A libuv loop on a thread of its own, for a simulated device's backend (net.c, disk.c):
 * other threads wake it (loop_thread_kick) and stop it; stopping closes every handle on the
 * loop, lets what is in flight finish, and joins the thread. */
#ifndef RTJS_HOSTED_LOOP_THREAD_H
#define RTJS_HOSTED_LOOP_THREAD_H

#include <pthread.h>
#include <uv.h>

struct loop_thread {
	uv_loop_t loop;
	uv_async_t kick, stop;
	pthread_t thread;
	int running;
	void (*on_kick)(void *ctx); /* on the loop thread, after loop_thread_kick */
	void (*on_stop)(void *ctx); /* on the loop thread, before the handles close; may be NULL */
	void *ctx;
};

/* The loop and its two wake-ups; handles of the backend's own may be added before start.
 * 0 or a libuv error. */
int loop_thread_init(struct loop_thread *t, void (*on_kick)(void *ctx), void (*on_stop)(void *ctx),
		     void *ctx);
/* Runs the loop on a new thread named `name`; 0 or -errno. */
int loop_thread_start(struct loop_thread *t, const char *name);
/* Any thread: on_kick runs soon on the loop thread (kicks before it runs merge into one). */
void loop_thread_kick(struct loop_thread *t);
/* Any thread but the loop's: stops the loop once its requests have finished, joins the
 * thread and closes the loop. Nothing when it is not running. */
void loop_thread_stop(struct loop_thread *t);

#endif
