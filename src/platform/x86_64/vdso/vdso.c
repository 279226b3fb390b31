/* The vDSO of the kernel's program: clock_gettime, gettimeofday, time and getcpu without a
 * system call. glibc finds it through AT_SYSINFO_EHDR and looks the __vdso_* names up at
 * start (version LINUX_2.6, as on Linux x86_64). Built as a small position-independent
 * shared object; linux/vdso.c maps it with the data page (vdso-data.h) just below it.
 *
 * It is program code: it runs in ring 0 like the rest of the program, reads the TSC and
 * the data page, and the CPU index through %gs. Clocks it cannot answer go to the kernel
 * with the system call itself, as Linux's vDSO does. */
#include <stdint.h>

#include "rtjs-vdso-data.h"

/* Placed by the linker script one page below the image: reached PC-relative. */
extern const struct rtjs_vdso_data vdso_data __attribute__((visibility("hidden")));

/* include/uapi/linux/time.h, asm/unistd_64.h */
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define CLOCK_TAI 11
#define SYS_gettimeofday 96
#define SYS_time 201
#define SYS_clock_gettime 228
#define SYS_clock_getres 229
#define SYS_getcpu 309
#define NS_PER_SEC 1000000000LL
#define NS_PER_US 1000LL

struct timespec64 {
	int64_t sec, nsec;
};

struct timeval64 {
	int64_t sec, usec;
};

static long syscall2(long nr, long a, long b)
{
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b) : "rcx", "r11", "memory");
	return ret;
}

static int64_t monotonic_ns(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	uint64_t delta = (((uint64_t)hi << 32) | lo) - vdso_data.tsc0;
	return (int64_t)(((unsigned __int128)delta * vdso_data.mult) >> 32);
}

/* The clock's nanoseconds (the kernel's clock_ns in linux/sys-time.c), 0 if not ours. */
static int clock_now(long clock, int64_t *ns)
{
	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_TAI:
		*ns = vdso_data.wall_at_boot_ns + monotonic_ns();
		return 1;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		*ns = monotonic_ns();
		return 1;
	default:
		return 0; /* CPU-time clocks: the scheduler's accounting, in the kernel */
	}
}

long __vdso_clock_gettime(long clock, struct timespec64 *ts)
{
	int64_t ns;
	if (!clock_now(clock, &ns))
		return syscall2(SYS_clock_gettime, clock, (long)ts);
	ts->sec = ns / NS_PER_SEC;
	ts->nsec = ns % NS_PER_SEC;
	return 0;
}

long __vdso_clock_getres(long clock, struct timespec64 *ts)
{
	int64_t ns;
	if (!clock_now(clock, &ns))
		return syscall2(SYS_clock_getres, clock, (long)ts);
	if (ts) {
		ts->sec = 0;
		ts->nsec = 1;
	}
	return 0;
}

long __vdso_gettimeofday(struct timeval64 *tv, void *tz)
{
	if (tz)
		return syscall2(SYS_gettimeofday, (long)tv, (long)tz);
	if (tv) {
		int64_t ns = vdso_data.wall_at_boot_ns + monotonic_ns();
		tv->sec = ns / NS_PER_SEC;
		tv->usec = ns % NS_PER_SEC / NS_PER_US;
	}
	return 0;
}

long __vdso_time(int64_t *t)
{
	int64_t sec = (vdso_data.wall_at_boot_ns + monotonic_ns()) / NS_PER_SEC;
	if (t)
		*t = sec;
	return sec;
}

long __vdso_getcpu(unsigned *cpu, unsigned *node, void *cache)
{
	(void)cache;
	if (cpu) {
		unsigned index;
		__asm__ volatile("movl %%gs:%c1, %0" : "=r"(index) : "i"(RTJS_VDSO_GS_CPU_INDEX));
		*cpu = index;
	}
	if (node)
		*node = 0;
	return 0;
}

long clock_gettime(long, struct timespec64 *) __attribute__((weak, alias("__vdso_clock_gettime")));
long clock_getres(long, struct timespec64 *) __attribute__((weak, alias("__vdso_clock_getres")));
long gettimeofday(struct timeval64 *, void *) __attribute__((weak, alias("__vdso_gettimeofday")));
long time(int64_t *) __attribute__((weak, alias("__vdso_time")));
long getcpu(unsigned *, unsigned *, void *) __attribute__((weak, alias("__vdso_getcpu")));
