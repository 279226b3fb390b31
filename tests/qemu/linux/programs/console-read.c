/* Console input is not lost when a read's buffer goes away during the read: the bytes leave
 * the console's input only once they are in the program's memory. One thread unmaps and maps
 * again a small buffer over and over while the main thread reads the console into it, a few
 * bytes a read, until the end of input; every read answers a count or EFAULT, and the counts
 * must add up to every byte typed (the program never touches the buffer itself: its own fault
 * there would end it). Then a read into memory that is not mapped at all: EFAULT, no input
 * taken. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096 /* x86-64 (SDM vol. 3A, 4.5) */
#define BUF_BYTES (2 * PAGE)
#define READ_BYTES 7 /* small reads: many calls, each a chance for the unmap to come mid-copy */
#define MAPPED_SPIN 2000 /* loop turns the buffer stays mapped between two unmaps */

static char *buf;
static atomic_int racing = 1;

static void *taker(void *arg)
{
	(void)arg;
	while (atomic_load(&racing)) {
		munmap(buf, BUF_BYTES);
		mmap(buf, BUF_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		for (volatile int k = 0; k < MAPPED_SPIN; k++)
			;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	long typed = argc > 1 ? atol(argv[1]) : 0; /* bytes the checker types before the end */
	buf = mmap(NULL, BUF_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pthread_t t;
	if (buf == MAP_FAILED || pthread_create(&t, NULL, taker, NULL) != 0) {
		printf("console-read: setup failed\n");
		return 1;
	}
	long got = 0, faults = 0, other = 0, r;
	/* A read lands at the end of the first page, so its copy also crosses into the second. */
	while ((r = read(0, buf + PAGE - READ_BYTES / 2, READ_BYTES)) != 0) {
		if (r > 0)
			got += r;
		else if (errno == EFAULT)
			faults++;
		else
			other++;
	}
	atomic_store(&racing, 0);
	pthread_join(t, NULL);
	printf("console-read: %ld of %ld bytes typed were read (%ld reads answered EFAULT, %ld other errors)\n",
	       got, typed, faults, other);

	munmap(buf, BUF_BYTES);
	r = read(0, buf, READ_BYTES);
	printf("console-read: into memory that is not mapped: %s\n", r < 0 && errno == EFAULT ? "EFAULT" : "not EFAULT");
	return 0;
}
