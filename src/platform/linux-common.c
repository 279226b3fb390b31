/*
 * The half of the platform contract that is the same on both targets, because on both the
 * runtime is a Linux program: hosted it runs on Linux, on bare metal on the rtjs kernel's
 * Linux ABI. Threads, clocks, console output, entropy and boot files are plain system calls.
 */
#define _GNU_SOURCE
#include "platform/platform.h"
#include "platform/linux-common.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* V8 keeps its own stack guard below 1 MB; 8 MB leaves room for deep native frames. */
#define ENGINE_STACK_SIZE (8u << 20)

unsigned platform_cpu_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1;
}

struct thread_start {
	unsigned cpu;
	void (*fn)(void *);
	void *arg;
};

static void *thread_main(void *p)
{
	struct thread_start s = *(struct thread_start *)p;
	free(p);
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(s.cpu % platform_cpu_count(), &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	s.fn(s.arg);
	return NULL;
}

int platform_thread_start(unsigned cpu, void (*fn)(void *), void *arg)
{
	struct thread_start *s = malloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	*s = (struct thread_start){ cpu, fn, arg };
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, ENGINE_STACK_SIZE);
	pthread_t th;
	int rc = pthread_create(&th, &attr, thread_main, s);
	pthread_attr_destroy(&attr);
	if (rc) {
		free(s);
		return -rc;
	}
	pthread_detach(th);
	return 0;
}

/* ---- Waiting ---- */

int waiter_sleep(struct waiter_word *w, uint64_t deadline_ns)
{
	struct timespec abs = { (time_t)(deadline_ns / NS_PER_SEC), (long)(deadline_ns % NS_PER_SEC) };
	/* FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC deadline. */
	long rc = syscall(SYS_futex, &w->woken, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, 0,
			  deadline_ns == UINT64_MAX ? NULL : &abs, NULL, FUTEX_BITSET_MATCH_ANY);
	return rc < 0 && errno == ETIMEDOUT ? -ETIMEDOUT : 0;
}

void waiter_wake(struct waiter_word *w)
{
	if (atomic_exchange(&w->woken, 1))
		return; /* already woken: the waiter has not consumed it yet */
	if (atomic_load(&w->sleeping))
		syscall(SYS_futex, &w->woken, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0);
}

/* ---- Time ---- */

uint64_t platform_monotonic_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

int64_t platform_wall_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * (int64_t)NS_PER_SEC + ts.tv_nsec;
}

int64_t platform_thread_cpu_clock(void)
{
	clockid_t clock;
	if (pthread_getcpuclockid(pthread_self(), &clock) != 0)
		return 0;
	return (int64_t)clock;
}

uint64_t platform_cpu_clock_ns(int64_t clock)
{
	struct timespec ts;
	if (clock == 0 || clock_gettime((clockid_t)clock, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

void platform_console_write(int stream, const void *buf, size_t len)
{
	int fd = stream == 2 ? STDERR_FILENO : STDOUT_FILENO;
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		p += n;
		len -= (size_t)n;
	}
}

int platform_console_columns(void)
{
	/* The kernel's Linux layer answers TIOCGWINSZ with the console's size, as Linux does. */
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0)
		return 0;
	return ws.ws_col;
}

int platform_entropy_add(const void *buf, size_t len)
{
	int fd = open("/dev/urandom", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	const uint8_t *p = buf;
	int rc = 0;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? -errno : -EIO;
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	close(fd);
	return rc;
}

int platform_entropy(void *buf, size_t len)
{
	uint8_t *p = buf;
	while (len > 0) {
		ssize_t n = getrandom(p, len, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int platform_boot_file(const char *path, const void **data, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	void *p = st.st_size ? mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
	close(fd);
	if (p == MAP_FAILED)
		return -errno;
	*data = p;
	*len = (size_t)st.st_size;
	return 0;
}
