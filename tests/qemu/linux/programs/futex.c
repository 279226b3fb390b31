/* Futex words the kernel reads while it holds a futex bucket's lock, where it cannot take
 * a page fault: an unmapped word answers EFAULT; a word on a fresh page nobody touched yet
 * is faulted in and compared; and while other threads keep taking the page away
 * (madvise(MADV_DONTNEED), munmap and mmap again), every FUTEX_WAIT and FUTEX_CMP_REQUEUE
 * answers EAGAIN or EFAULT and the kernel goes on. Exits with 0 when every check held. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096
#define RACE_ROUNDS 20000
#define TAKERS 2

static int failures;

static long futex(void *uaddr, int op, uint32_t val, const struct timespec *ts, void *uaddr2, uint32_t val3)
{
	long r = syscall(SYS_futex, uaddr, op, val, ts, uaddr2, val3);
	return r < 0 ? -errno : r;
}

static void check(int ok, const char *what, long got)
{
	printf("%s: %s (got %ld)\n", what, ok ? "ok" : "FAILED", got);
	if (!ok)
		failures++;
}

static void *fresh_page(void)
{
	void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static uint32_t *race_word;
static atomic_int racing = 1;
static atomic_long taken;

/* Takes the word's page away and gives it back, over and over. */
static void *taker(void *arg)
{
	long id = (long)arg;
	void *page = (void *)((uintptr_t)race_word & ~(uintptr_t)(PAGE - 1));
	while (atomic_load(&racing)) {
		if (id == 0) {
			madvise(page, PAGE, MADV_DONTNEED);
		} else {
			munmap(page, PAGE);
			mmap(page, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		}
		atomic_fetch_add(&taken, 1);
	}
	return NULL;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0); /* each line out before a panic could end the run */
	struct timespec ten_ms = { 0, 10 * 1000 * 1000 };

	uint32_t *gone = fresh_page();
	munmap(gone, PAGE);
	long r = futex(gone, FUTEX_WAIT_PRIVATE, 0, &ten_ms, NULL, 0);
	check(r == -EFAULT, "FUTEX_WAIT on an unmapped word: EFAULT", r);
	r = futex(gone, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1, gone, 0);
	check(r == -EFAULT, "FUTEX_CMP_REQUEUE on an unmapped word: EFAULT", r);
	r = futex((char *)fresh_page() + 2, FUTEX_WAIT_PRIVATE, 0, &ten_ms, NULL, 0);
	check(r == -EINVAL, "FUTEX_WAIT on a misaligned word: EINVAL", r);

	/* A fresh page reads as zeros once faulted in: each word below is on its own page that
	 * nothing touched before the call. */
	r = futex(fresh_page(), FUTEX_WAIT_PRIVATE, 0, &ten_ms, NULL, 0);
	check(r == -ETIMEDOUT, "FUTEX_WAIT on an untouched page, value 0: ETIMEDOUT", r);
	r = futex(fresh_page(), FUTEX_WAIT_PRIVATE, 1, &ten_ms, NULL, 0);
	check(r == -EAGAIN, "FUTEX_WAIT on an untouched page, value 1: EAGAIN", r);
	uint32_t *other = fresh_page();
	r = futex(fresh_page(), FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1, other, 0);
	check(r == 0, "FUTEX_CMP_REQUEUE on an untouched page, value 0: 0 woken", r);
	r = futex(fresh_page(), FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1, other, 1);
	check(r == -EAGAIN, "FUTEX_CMP_REQUEUE on an untouched page, value 1: EAGAIN", r);

	race_word = fresh_page();
	pthread_t t[TAKERS];
	for (long i = 0; i < TAKERS; i++)
		pthread_create(&t[i], NULL, taker, (void *)i);
	long eagain = 0, efault = 0, other_result = 0;
	for (int i = 0; i < RACE_ROUNDS; i++) {
		r = i % 2 ? futex(race_word, FUTEX_WAIT_PRIVATE, 1, &ten_ms, NULL, 0)
			  : futex(race_word, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1, other, 1);
		if (r == -EAGAIN)
			eagain++;
		else if (r == -EFAULT)
			efault++;
		else
			other_result++;
	}
	atomic_store(&racing, 0);
	for (int i = 0; i < TAKERS; i++)
		pthread_join(t[i], NULL);
	printf("race: %d calls while the page was taken away %ld times: %ld EAGAIN, %ld EFAULT, %ld other\n",
	       RACE_ROUNDS, atomic_load(&taken), eagain, efault, other_result);
	check(other_result == 0 && eagain + efault == RACE_ROUNDS, "race: every call EAGAIN or EFAULT", other_result);
	printf("futex: %d checks failed\n", failures);
	return failures ? 1 : 0;
}
