/* Threads in ring 0: pthread_create/join (clone, CHILD_CLEARTID wake), a mutex and a
 * condition variable (futex wait/wake), a timed wait (futex timeout), nanosleep, a busy
 * loop that only ends if the timer tick preempts it (one CPU), and a thread pinned to the
 * last CPU (sched_setaffinity, getcpu). Exits with 5. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define WORKERS 4
#define ROUNDS 20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long counter;
static int ready;
static atomic_int flag;
static __thread int tls_value;

static void *worker(void *arg)
{
	long id = (long)arg;
	tls_value = (int)id;
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
		if (i % 5000 == 0)
			sched_yield();
	}
	return (void *)(id * 10 + (tls_value == id));
}

static void *signaller(void *arg)
{
	(void)arg;
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	nanosleep(&ts, NULL);
	pthread_mutex_lock(&lock);
	ready = 1;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
	return NULL;
}

static void *spinner_releaser(void *arg)
{
	(void)arg;
	atomic_store(&flag, 1); /* runs only if the main thread's busy loop is preempted */
	return NULL;
}

static void *pinned(void *arg)
{
	long cpu = (long)arg;
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set))
		return (void *)0;
	long ok = 1;
	for (int i = 0; i < 200; i++) {
		ok &= sched_getcpu() == cpu;
		sched_yield();
	}
	cpu_set_t got;
	pthread_getaffinity_np(pthread_self(), sizeof(got), &got);
	return (void *)(long)(ok && CPU_COUNT(&got) == 1 && CPU_ISSET(cpu, &got));
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1e3 + (t.tv_nsec - t0->tv_nsec) / 1e6;
}

int main(void)
{
	pthread_t th[WORKERS], sig, rel;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < WORKERS; i++)
		if (pthread_create(&th[i], NULL, worker, (void *)i)) {
			printf("pthread_create failed\n");
			return 1;
		}
	int tls_ok = 0;
	for (int i = 0; i < WORKERS; i++) {
		void *r;
		pthread_join(th[i], &r);
		tls_ok += (long)r == i * 10 + 1;
	}
	printf("threads joined: counter=%ld (expected %d) tls=%d/%d\n", counter, WORKERS * ROUNDS, tls_ok,
	       WORKERS);

	pthread_create(&sig, NULL, signaller, NULL);
	pthread_mutex_lock(&lock);
	while (!ready)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	pthread_join(sig, NULL);
	printf("condition signalled after %s\n", ms_since(&t0) >= 20 ? ">=20 ms" : "too early");

	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_nsec += 30 * 1000 * 1000;
	if (deadline.tv_nsec >= 1000000000) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000;
	}
	struct timespec w0;
	clock_gettime(CLOCK_MONOTONIC, &w0);
	pthread_mutex_lock(&lock);
	int rc = pthread_cond_timedwait(&cond, &lock, &deadline);
	pthread_mutex_unlock(&lock);
	double waited = ms_since(&w0);
	printf("timed wait: %s after %s\n", rc == ETIMEDOUT ? "ETIMEDOUT" : "no timeout",
	       waited >= 25 && waited < 1000 ? "about 30 ms" : "a wrong time");

	pthread_create(&rel, NULL, spinner_releaser, NULL);
	while (!atomic_load(&flag))
		; /* no system call here: only preemption lets the other thread run */
	pthread_join(rel, NULL);
	printf("preempted busy loop released\n");

	struct timespec c0, c1, nap = { 0, 30 * 1000 * 1000 };
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
	nanosleep(&nap, NULL);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
	double used = (c1.tv_sec - c0.tv_sec) * 1e3 + (c1.tv_nsec - c0.tv_nsec) / 1e6;
	printf("thread CPU clock: a 30 ms sleep %s\n", used >= 0 && used < 15 ? "costs no CPU time" : "counted");

	long last = sysconf(_SC_NPROCESSORS_ONLN) - 1;
	pthread_t pin;
	void *pin_ok;
	pthread_create(&pin, NULL, pinned, (void *)last);
	pthread_join(pin, &pin_ok);
	printf("pinned to the last CPU: %s (%ld CPUs)\n", pin_ok ? "ok" : "moved", last + 1);
	return 5;
}
