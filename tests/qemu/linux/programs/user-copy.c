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

int main(void)
{
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
