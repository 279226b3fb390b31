/* System calls whose buffer another thread takes away during the call. The kernel checks a
 * buffer against the memory areas and then copies; a thread that unmaps the buffer between
 * the two must make the call answer EFAULT (or succeed, if the copy was done first), not end
 * the program with a fault of the kernel's. One thread unmaps and maps again a 64 KiB buffer
 * over and over while the main thread passes it to pread (a file's bytes copied out), write
 * (to /dev/urandom: copied in), fstat and clock_gettime (a struct out), nanosleep (a struct
 * in) and writev (the iovec array in the buffer). The program never touches the buffer
 * itself (its own fault there would end it): a fresh mapping reads as zeros, which are a
 * valid timespec and empty iovecs. Exits with 0 when every call answered a count or EFAULT. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "rtjs-syscall.h"

#define BUF_BYTES (64 * 1024)
#define BULK (32 * 1024) /* pread and write use the first half; the structs have a page each */
#define STAT_AT (32 * 1024)
#define CLOCK_AT (36 * 1024)
#define SLEEP_AT (40 * 1024) /* never written: zeros, a valid timespec */
#define IOV_AT (44 * 1024)   /* never written: zeros, empty iovecs */
#define ROUNDS 3000
/* How long the buffer stays mapped between two unmaps, in loop turns: most calls must find it
 * mapped when they check it, so that the unmap comes during their copies. */
#define MAPPED_SPIN 4000

static char *buf;
static atomic_int racing = 1;
static atomic_long taken;

static void *map_buf(int fixed)
{
	return mmap(fixed ? buf : NULL, BUF_BYTES, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | (fixed ? MAP_FIXED : 0), -1, 0);
}

/* Takes the buffer away and gives it back (its pages untouched, so each copy faults them
 * in again), over and over. */
static void *taker(void *arg)
{
	(void)arg;
	while (atomic_load(&racing)) {
		munmap(buf, BUF_BYTES);
		map_buf(1);
		atomic_fetch_add(&taken, 1);
		for (volatile int k = 0; k < MAPPED_SPIN; k++)
			;
	}
	return NULL;
}

/* Each call's answer: a count (or 0) or EFAULT is fine; anything else is counted, and the
 * first printed at the end (printf may map memory, which the taker's MAP_FIXED could cover). */
static long counted, efault, unexpected;
static const char *first_unexpected;
static int first_errno;

static void note(long r, const char *what)
{
	if (r >= 0) {
		counted++;
	} else if (errno == EFAULT) {
		efault++;
	} else if (unexpected++ == 0) {
		first_unexpected = what;
		first_errno = errno;
	}
}

/* rtjs_wait writes the IRQs it took through its irqs pointer when the wait ends, which may be
 * long after it checked that pointer: a thread that unmaps the page during the wait must make
 * the call answer EFAULT. One page, unmapped by a second thread while the main thread waits
 * (no IRQ is attached, so the wait lasts until its deadline); a round where the unmap came
 * only after the call returned proves nothing and is tried again. */
#define WAIT_TRIES 5
#define WAIT_NS 1000000000L    /* the wait's length: far longer than the unmapper's delay */
#define UNMAP_AFTER_NS 50000000L
#define WAIT_PAGE 4096          /* one x86-64 page (SDM vol. 3A, 4.5) */

static char *wait_page;
static atomic_int wait_started, wait_unmapped;

static void *unmapper(void *arg)
{
	(void)arg;
	while (!atomic_load(&wait_started))
		;
	struct timespec d = { 0, UNMAP_AFTER_NS };
	nanosleep(&d, NULL);
	munmap(wait_page, WAIT_PAGE);
	atomic_store(&wait_unmapped, 1);
	return NULL;
}

/* 1: the page went away during the wait and the call said EFAULT; 0: not raced; -1: wrong. */
static int wait_round(void)
{
	wait_page = mmap(NULL, WAIT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (wait_page == MAP_FAILED)
		return -1;
	atomic_store(&wait_started, 0);
	atomic_store(&wait_unmapped, 0);
	pthread_t t;
	pthread_create(&t, NULL, unmapper, NULL);
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	uint64_t deadline = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec + WAIT_NS;
	atomic_store(&wait_started, 1);
	long r = syscall(SYS_rtjs_wait, deadline, 0, wait_page, NULL);
	int err = errno;
	pthread_join(t, NULL);
	if (r < 0)
		return err == EFAULT && atomic_load(&wait_unmapped) ? 1 : -1;
	return 0;
}

static void wait_test(void)
{
	for (int i = 0; i < WAIT_TRIES; i++) {
		int rc = wait_round();
		if (rc != 0) {
			printf("user-copy: rtjs_wait with its irqs page unmapped during the wait: %s\n",
			       rc > 0 ? "EFAULT" : "wrong answer");
			return;
		}
	}
	printf("user-copy: rtjs_wait with its irqs page unmapped during the wait: never raced\n");
}

int main(void)
{
	wait_test();
	buf = map_buf(0);
	int file = open("/bin/user-copy", O_RDONLY);
	int sink = open("/dev/urandom", O_WRONLY);
	if (buf == MAP_FAILED || file < 0 || sink < 0) {
		printf("user-copy: set-up failed (errno %d)\n", errno);
		return 1;
	}
	pthread_t t;
	pthread_create(&t, NULL, taker, NULL);
	for (int i = 0; i < ROUNDS; i++) {
		note(pread(file, buf, BULK, 0), "pread");
		note(write(sink, buf, BULK), "write");
		note(fstat(file, (struct stat *)(buf + STAT_AT)), "fstat");
		note(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, buf + CLOCK_AT), "clock_gettime");
		note(syscall(SYS_nanosleep, buf + SLEEP_AT, NULL), "nanosleep");
		note(writev(sink, (const struct iovec *)(buf + IOV_AT), 4), "writev");
	}
	atomic_store(&racing, 0);
	pthread_join(t, NULL);
	if (unexpected)
		printf("%s: unexpected error %d\n", first_unexpected, first_errno);
	printf("user-copy: %d rounds while the buffer was taken away %ld times: %ld answered, %ld EFAULT, "
	       "%ld unexpected\n", ROUNDS, atomic_load(&taken), counted, efault, unexpected);
	return unexpected == 0 ? 0 : 1;
}
