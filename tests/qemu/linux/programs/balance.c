/* Balancing between busy CPUs, on two: a thread pinned to CPU 1 keeps it busy while three
 * unpinned CPU-bound threads start on CPU 0. CPU 1 never goes idle, so only a busy CPU's
 * pull can give it one of them: checked by a worker finding itself on CPU 1 (getcpu) while
 * the pinned thread still runs. Then each worker does the same fixed work and the time
 * until all three are done is printed (a figure, not checked). Exits with 0 when a worker
 * reached CPU 1 within the hang guard. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#define WORKERS 3
#define WORK_ROUNDS 40000000u
#define HANG_GUARD_NS (60ull * 1000 * 1000 * 1000)

static atomic_int pinned_ready, pinned_stop, moved, go;
static atomic_uint done;
static volatile uint32_t sink;

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int pin(int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	if (cpu < 0) {
		CPU_SET(0, &set);
		CPU_SET(1, &set);
	} else {
		CPU_SET(cpu, &set);
	}
	return sched_setaffinity(0, sizeof set, &set);
}

static void *pinned(void *arg)
{
	(void)arg;
	if (pin(1) != 0 || sched_getcpu() != 1) {
		printf("cannot pin a thread to CPU 1\n");
		atomic_store(&pinned_ready, -1);
		return NULL;
	}
	atomic_store(&pinned_ready, 1);
	while (!atomic_load(&pinned_stop))
		sink++;
	return NULL;
}

static void *worker(void *arg)
{
	(void)arg;
	/* Each worker frees itself from CPU 0, the main thread stays pinned there: an unpinned
	 * main thread, yielding in its wait, could itself be the one pulled to CPU 1, leaving the
	 * gap at one and no worker ever moved. */
	pin(-1);
	uint64_t start = now_ns();
	while (!atomic_load(&moved) && now_ns() - start < HANG_GUARD_NS)
		if (sched_getcpu() == 1)
			atomic_store(&moved, 1);
	while (!atomic_load(&go))
		;
	uint32_t x = 0;
	for (uint32_t i = 0; i < WORK_ROUNDS; i++)
		x = (x + i * 7) % 1000003;
	sink += x;
	atomic_fetch_add(&done, 1);
	return NULL;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (pin(0) != 0 || sched_getcpu() != 0) {
		printf("cannot pin the main thread to CPU 0\n");
		return 1;
	}
	pthread_t p, w[WORKERS];
	pthread_create(&p, NULL, pinned, NULL);
	while (!atomic_load(&pinned_ready))
		sched_yield();
	if (atomic_load(&pinned_ready) < 0)
		return 1;
	uint64_t t0 = now_ns();
	for (int i = 0; i < WORKERS; i++)
		pthread_create(&w[i], NULL, worker, NULL);
	while (!atomic_load(&moved) && now_ns() - t0 < HANG_GUARD_NS + 1000000000ull)
		sched_yield();
	int ok = atomic_load(&moved);
	printf("a worker ran on CPU 1 beside the pinned thread: %s after %llu ms\n", ok ? "yes" : "no",
	       (unsigned long long)((now_ns() - t0) / 1000000));
	uint64_t t1 = now_ns();
	atomic_store(&go, 1);
	for (int i = 0; i < WORKERS; i++)
		pthread_join(w[i], NULL);
	printf("three workers beside a pinned busy thread done in %llu ms\n",
	       (unsigned long long)((now_ns() - t1) / 1000000));
	atomic_store(&pinned_stop, 1);
	pthread_join(p, NULL);
	return ok ? 0 : 1;
}
