/*
 * The hosted platform: rtjs as an ordinary Linux process. Time and threads come from the
 * C library, waiting is a futex per waiter, the console is the
 * terminal, and devices are the simulated PC in sim/ (devices.c).
 */
#define _GNU_SOURCE
#include "platform/platform.h"
#include "platform/linux-common.h"

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

#include "devices.h"


int platform_init(int *argc, char **argv)
{
	return sim_devices_init(argc, argv);
}

const char *platform_options_help(void)
{
	return sim_devices_options_help();
}

/* ---- Waiting ---- */

/* A futex on a shared word (struct waiter_word, linux-common.h), not libuv (whose 1.44
 * uv_async_send makes the woken thread spin and sched_yield until the waker has left,
 * measured at 44% of a cross-engine call) and not a mutex + condition variable (a lock round
 * trip on every wake-up). The waiter sleeps at once rather than watching the word first: a
 * watch holds a core that the engine it waits for, or the host's other processes, need
 * (docs/design.md, "Engines wait on a futex word"). */
struct platform_waiter {
	struct waiter_word word;
};

struct platform_waiter *platform_waiter_create(void)
{
	return calloc(1, sizeof(struct platform_waiter));
}

void platform_waiter_destroy(struct platform_waiter *w)
{
	free(w);
}

void platform_wait(struct platform_waiter *w, uint64_t deadline_ns)
{
	if (!atomic_load(&w->word.woken)) {
		atomic_store(&w->word.sleeping, 1);
		while (!atomic_load(&w->word.woken) && waiter_sleep(&w->word, deadline_ns) != -ETIMEDOUT)
			;
		atomic_store(&w->word.sleeping, 0);
	}
	atomic_store(&w->word.woken, 0);
}

void platform_wake(struct platform_waiter *w)
{
	waiter_wake(&w->word);
}

/* ---- Console ---- */

int platform_console_input_concurrent(void)
{
	return 1; /* a thread reads the terminal */
}

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
