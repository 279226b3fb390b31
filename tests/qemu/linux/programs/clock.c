/* The vDSO in ring 0: glibc finds it (AT_SYSINFO_EHDR), its clocks agree with the kernel's
 * system calls (each vDSO reading lies between two system-call readings of the same
 * clock), getcpu says the CPU a thread is pinned to on every CPU, and a CPU-time clock
 * still reaches the kernel. Then the rate of clock_gettime through glibc against the raw
 * system call, and of sched_getcpu against the getcpu system call, in the same run.
 * Exits with 0 when every check passed. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define AGREE_ROUNDS 20000
#define RATE_NS 300000000LL /* each rate measured over 0.3 s */

static int failures;

static void check(int ok, const char *what)
{
	printf("%s - %s\n", ok ? "ok" : "not ok", what);
	failures += !ok;
}

static int64_t ns_of(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static int64_t raw_ns(clockid_t clock)
{
	struct timespec t;
	syscall(SYS_clock_gettime, clock, &t);
	return ns_of(&t);
}

/* vDSO readings bracketed by system-call readings, AGREE_ROUNDS times. */
static int agrees(clockid_t clock)
{
	for (int i = 0; i < AGREE_ROUNDS; i++) {
		int64_t before = raw_ns(clock);
		struct timespec t;
		if (clock_gettime(clock, &t) != 0 || t.tv_nsec < 0 || t.tv_nsec >= 1000000000L)
			return 0;
		int64_t after = raw_ns(clock);
		if (ns_of(&t) < before || ns_of(&t) > after)
			return 0;
	}
	return 1;
}

static double rate(int (*call)(void))
{
	int64_t start = raw_ns(CLOCK_MONOTONIC), now = start;
	long n = 0;
	while (now - start < RATE_NS) {
		for (int i = 0; i < 1000; i++)
			call();
		n += 1000;
		now = raw_ns(CLOCK_MONOTONIC);
	}
	return (double)n * 1e9 / (double)(now - start);
}

static int glibc_clock(void)
{
	struct timespec t;
	return clock_gettime(CLOCK_MONOTONIC, &t);
}

static int raw_clock(void)
{
	struct timespec t;
	return (int)syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &t);
}

static int glibc_getcpu(void)
{
	return sched_getcpu();
}

static int raw_getcpu(void)
{
	unsigned cpu;
	return (int)syscall(SYS_getcpu, &cpu, NULL, NULL);
}

int main(void)
{
	check(getauxval(AT_SYSINFO_EHDR) != 0, "the kernel passes a vDSO (AT_SYSINFO_EHDR)");
	check(agrees(CLOCK_MONOTONIC), "CLOCK_MONOTONIC agrees with the system call");
	check(agrees(CLOCK_REALTIME), "CLOCK_REALTIME agrees with the system call");
	struct timeval tv;
	int64_t before = raw_ns(CLOCK_REALTIME) / 1000;
	gettimeofday(&tv, NULL);
	int64_t after = raw_ns(CLOCK_REALTIME) / 1000, us = (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
	check(us >= before && us <= after, "gettimeofday agrees with the system call");
	time_t sec = time(NULL);
	check(sec >= before / 1000000 && sec <= after / 1000000 + 1, "time agrees with the system call");
	struct timespec res;
	check(clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 && res.tv_nsec == 1,
	      "clock_getres(CLOCK_MONOTONIC) is 1 ns");
	/* A CPU-time clock is the scheduler's: the vDSO hands it to the kernel. */
	struct timespec cpu0, cpu1;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu0);
	for (volatile long i = 0; i < 20000000; i++)
		;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu1);
	check(ns_of(&cpu1) > ns_of(&cpu0), "CLOCK_THREAD_CPUTIME_ID advances while the thread computes");
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int pinned_ok = cpus > 0;
	for (long c = 0; c < cpus; c++) {
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET(c, &set);
		unsigned raw = ~0u;
		if (sched_setaffinity(0, sizeof set, &set) != 0 || sched_getcpu() != c ||
		    syscall(SYS_getcpu, &raw, NULL, NULL) != 0 || raw != (unsigned)c)
			pinned_ok = 0;
	}
	printf("getcpu checked on %ld CPUs\n", cpus);
	check(pinned_ok, "sched_getcpu names the CPU the thread is pinned to, as the system call does");
	double vc = rate(glibc_clock), sc = rate(raw_clock), vg = rate(glibc_getcpu), sg = rate(raw_getcpu);
	printf("clock_gettime: %.0f calls/s through glibc, %.0f calls/s as a system call (%.1fx)\n", vc, sc,
	       vc / sc);
	printf("getcpu: %.0f calls/s through glibc, %.0f calls/s as a system call (%.1fx)\n", vg, sg, vg / sg);
	printf("clock: %d checks failed\n", failures);
	return failures ? 1 : 0;
}
