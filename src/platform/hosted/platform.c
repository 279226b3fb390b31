/*
 * The hosted platform: rtjs as an ordinary Linux process. Time and threads come from the
 * C library, waiting is libuv (one uv loop per waiter, woken by uv_async), the console is the
 * terminal, and devices are the simulated PC in sim/ (devices.c).
 */
#define _GNU_SOURCE
#include "platform/platform.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "devices.h"

#define NS_PER_SEC 1000000000ull
#define NS_PER_MS 1000000ull

int platform_init(int *argc, char **argv)
{
	return sim_devices_init(argc, argv);
}

/* ---- Waiting ---- */

struct platform_waiter {
	uv_loop_t loop;
	uv_async_t wake;
	uv_timer_t timer;
	bool done; /* the current wait has ended: woken or timed out */
};

static void on_wake(uv_async_t *a)
{
	((struct platform_waiter *)a->data)->done = true;
}

static void on_timer(uv_timer_t *t)
{
	((struct platform_waiter *)t->data)->done = true;
}

struct platform_waiter *platform_waiter_create(void)
{
	struct platform_waiter *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	if (uv_loop_init(&w->loop) || uv_async_init(&w->loop, &w->wake, on_wake) ||
	    uv_timer_init(&w->loop, &w->timer)) {
		free(w);
		return NULL;
	}
	w->wake.data = w;
	w->timer.data = w;
	return w;
}

static void on_close(uv_handle_t *h)
{
	(void)h;
}

void platform_waiter_destroy(struct platform_waiter *w)
{
	if (!w)
		return;
	uv_close((uv_handle_t *)&w->wake, on_close);
	uv_close((uv_handle_t *)&w->timer, on_close);
	uv_run(&w->loop, UV_RUN_DEFAULT);
	uv_loop_close(&w->loop);
	free(w);
}

void platform_wait(struct platform_waiter *w, uint64_t deadline_ns)
{
	if (deadline_ns != UINT64_MAX) {
		uint64_t now = platform_monotonic_ns();
		if (deadline_ns <= now)
			return;
		/* libuv timers count whole milliseconds: round up so we never wake early. */
		uint64_t ms = (deadline_ns - now + NS_PER_MS - 1) / NS_PER_MS;
		uv_update_time(&w->loop);
		uv_timer_start(&w->timer, on_timer, ms, 0);
	}
	/* One uv_run may end without our timer or wake-up having fired (or, worse, fire the
	 * timer before polling and then block), so run until one of them did. */
	w->done = false;
	while (!w->done)
		uv_run(&w->loop, UV_RUN_ONCE);
	uv_timer_stop(&w->timer);
}

void platform_wake(struct platform_waiter *w)
{
	uv_async_send(&w->wake);
}

/* ---- Console ---- */

int platform_console_is_terminal(void)
{
	return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

static struct {
	pthread_t thread;
	platform_input_fn fn;
	void *ctx;
	atomic_bool running;
	bool raw_set;
	struct termios saved;
} input;

static void restore_terminal(void)
{
	if (input.raw_set) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &input.saved);
		input.raw_set = false;
	}
}

static void set_raw_terminal(void)
{
	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &input.saved))
		return;
	struct termios raw = input.saved;
	/* No echo, no canonical line editing, no signal keys (the line editor handles
	 * Ctrl-C), no CR->NL translation; output processing stays on so \n still works. */
	raw.c_lflag &= ~(tcflag_t)(ECHO | ICANON | ISIG | IEXTEN);
	raw.c_iflag &= ~(tcflag_t)(ICRNL | IXON);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) == 0) {
		input.raw_set = true;
		atexit(restore_terminal);
	}
}

static void *input_main(void *arg)
{
	(void)arg;
	uint8_t buf[4096];
	while (atomic_load(&input.running)) {
		ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (!atomic_load(&input.running))
			break;
		if (n <= 0) {
			input.fn(input.ctx, NULL, 0, 1);
			break;
		}
		input.fn(input.ctx, buf, (size_t)n, 0);
	}
	return NULL;
}

int platform_console_input_start(platform_input_fn on_input, void *ctx, int raw)
{
	if (atomic_load(&input.running))
		return -EBUSY;
	input.fn = on_input;
	input.ctx = ctx;
	if (raw)
		set_raw_terminal();
	atomic_store(&input.running, true);
	int rc = pthread_create(&input.thread, NULL, input_main, NULL);
	if (rc) {
		atomic_store(&input.running, false);
		return -rc;
	}
	pthread_detach(input.thread);
	return 0;
}

void platform_console_input_stop(void)
{
	/* The reader thread may sit in read(); it notices on its next byte or at exit. */
	atomic_store(&input.running, false);
	restore_terminal();
}

/* ---- Misc ---- */

void platform_shutdown(void)
{
	platform_console_input_stop();
	sim_devices_shutdown();
}

void platform_poweroff(int status)
{
	platform_shutdown();
	exit(status);
}

void platform_reboot(void)
{
	platform_shutdown();
	exit(0);
}
