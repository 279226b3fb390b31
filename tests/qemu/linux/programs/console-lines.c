/* One write(2) to the console is one piece of its output, as on Linux (a tty write holds the
 * tty's write lock throughout): two threads on two CPUs each write lines longer than the
 * kernel's 256-byte copy pieces, one write a line, and no line may hold both threads' bytes.
 * The checker rejects a line with both letters. First, a write from two pages never touched
 * (zeros): the kernel pages them in while it holds the console's lock, which must be allowed
 * (lockdebug on). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define LINE_BYTES 1000 /* several of the kernel's copy pieces */
#define LINES 100

static void *writer(void *arg)
{
	char line[LINE_BYTES + 1];
	memset(line, *(const char *)arg, LINE_BYTES);
	line[LINE_BYTES] = '\n';
	for (int i = 0; i < LINES; i++)
		if (write(1, line, sizeof(line)) != (ssize_t)sizeof(line))
			return (void *)1;
	return NULL;
}

#define PAGE 4096 /* x86-64 (SDM vol. 3A, 4.5) */
#define FRESH_BYTES 10

int main(void)
{
	char *fresh = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long wrote = fresh == MAP_FAILED ? -1 : write(1, fresh + PAGE - FRESH_BYTES / 2, FRESH_BYTES);
	printf("\nconsole-lines: a write from untouched pages: %ld\n", wrote);
	fflush(stdout);
	pthread_t t;
	void *ra, *rb;
	pthread_create(&t, NULL, writer, "b");
	ra = writer("a");
	pthread_join(t, &rb);
	printf("console-lines: %d lines of %d bytes from each of two threads, writes %s\n", LINES, LINE_BYTES,
	       ra || rb ? "short" : "whole");
	return 0;
}
