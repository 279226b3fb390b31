/* The reader-writer lock the memory areas, the file table and the console use
 * (cpu/rwlock.h), run by host threads: writers exclude everyone, readers share, and a
 * waiting writer keeps new readers out until it has had its turn. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <cmocka.h>
#include "cpu/rwlock.h"

/* The kernel's checks (cpu/lock-debug.c) stay off on the host. */
int lock_debug_on;
void lock_debug_acquire(const void *lock, const char *name, unsigned rank, unsigned kind, void *ip)
{
	(void)lock, (void)name, (void)rank, (void)kind, (void)ip;
}
void lock_debug_release(const void *lock)
{
	(void)lock;
}

#define WRITERS 4
#define ROUNDS 200000
#define SETTLE_MS 50 /* long enough for a thread that could take the lock to have taken it */

static struct rwlock lock = RWLOCK_INIT(MM, "test");
static long counter;
static int inside, overlap;
static volatile int readers_in, writer_has_it, late_reader_has_it;

static void pause_ms(long ms)
{
	struct timespec t = { 0, ms * 1000000 };
	nanosleep(&t, NULL);
}

static void *writer_rounds(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		write_lock(&lock);
		if (__atomic_fetch_add(&inside, 1, __ATOMIC_RELAXED))
			__atomic_store_n(&overlap, 1, __ATOMIC_RELAXED);
		counter++; /* not atomic: only the lock keeps the count right */
		__atomic_fetch_sub(&inside, 1, __ATOMIC_RELAXED);
		write_unlock(&lock);
	}
	return NULL;
}

static void test_writers_exclude_each_other(void **s)
{
	(void)s;
	pthread_t t[WRITERS];
	for (int i = 0; i < WRITERS; i++)
		pthread_create(&t[i], NULL, writer_rounds, NULL);
	for (int i = 0; i < WRITERS; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(counter, (long)WRITERS * ROUNDS);
	assert_int_equal(overlap, 0);
}

/* Holds a read lock until both readers are in at once (or a second has passed). */
static void *reader_meets(void *arg)
{
	(void)arg;
	read_lock(&lock);
	__atomic_add_fetch(&readers_in, 1, __ATOMIC_SEQ_CST);
	for (int i = 0; i < 1000 && __atomic_load_n(&readers_in, __ATOMIC_SEQ_CST) < 2; i++)
		pause_ms(1);
	long both = __atomic_load_n(&readers_in, __ATOMIC_SEQ_CST) == 2;
	read_unlock(&lock);
	return (void *)both;
}

static void test_readers_share(void **s)
{
	(void)s;
	readers_in = 0;
	pthread_t a, b;
	void *ra, *rb;
	pthread_create(&a, NULL, reader_meets, NULL);
	pthread_create(&b, NULL, reader_meets, NULL);
	pthread_join(a, &ra);
	pthread_join(b, &rb);
	assert_true(ra && rb);
}

static void *writer_once(void *arg)
{
	(void)arg;
	write_lock(&lock);
	writer_has_it = 1;
	pause_ms(SETTLE_MS);
	writer_has_it = 2; /* about to let go */
	write_unlock(&lock);
	return NULL;
}

static void *late_reader(void *arg)
{
	(void)arg;
	read_lock(&lock);
	/* It may enter only once the waiting writer has had its turn. */
	late_reader_has_it = writer_has_it == 2 ? 1 : -1;
	read_unlock(&lock);
	return NULL;
}

static void test_a_waiting_writer_goes_before_new_readers(void **s)
{
	(void)s;
	writer_has_it = late_reader_has_it = 0;
	read_lock(&lock);
	pthread_t w, r;
	pthread_create(&w, NULL, writer_once, NULL);
	pause_ms(SETTLE_MS);
	assert_int_equal(writer_has_it, 0); /* a reader holds it */
	pthread_create(&r, NULL, late_reader, NULL);
	pause_ms(SETTLE_MS);
	assert_int_equal(late_reader_has_it, 0); /* the writer waits, so new readers wait */
	read_unlock(&lock);
	pthread_join(w, NULL);
	pthread_join(r, NULL);
	assert_int_equal(late_reader_has_it, 1);
	assert_int_equal(lock.state, 0);
	assert_int_equal(lock.writers, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_writers_exclude_each_other),
		cmocka_unit_test(test_readers_share),
		cmocka_unit_test(test_a_waiting_writer_goes_before_new_readers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
