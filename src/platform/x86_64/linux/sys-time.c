/* Clocks and sleeping. With one program thread, its CPU time is the time since it started. */
#include <errno.h>

#include "linux/console.h"
#include "linux/process.h"
#include "linux/syscall.h"
#include "sched/sched.h"
#include "time/clock.h"

/* include/uapi/linux/time.h */
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define CLOCK_TAI 11
#define TIMER_ABSTIME 1
#define NS 1000000000ll

struct timespec64 {
	int64_t sec, nsec;
};

/* A CPU-time clock id made by clock_getcpuclockid/pthread_getcpuclockid (Linux
 * posix-timers.h: ~id << 3, bit 2 per-thread, low bits 2 = CPUCLOCK_SCHED). */
#define CPUCLOCK_PERTHREAD 4
#define CPUCLOCK_ID_SHIFT 3

static int64_t cpu_clock_ns(int64_t clock)
{
	if (!sched_running())
		return (int64_t)(clock_monotonic_ns() - current_process.start_ns);
	if (!(clock & CPUCLOCK_PERTHREAD))
		return (int64_t)sched_process_cpu_ns();
	int tid = (int)~(clock >> CPUCLOCK_ID_SHIFT);
	struct thread *t = tid == 0 ? sched_current() : sched_find(tid);
	return t ? (int64_t)sched_thread_cpu_ns(t) : -EINVAL;
}

/* Nanoseconds on `clock`, or -EINVAL. */
static int64_t clock_ns(int64_t clock)
{
	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_TAI:
		return clock_wall_ns();
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		return (int64_t)clock_monotonic_ns();
	case CLOCK_PROCESS_CPUTIME_ID:
		return (int64_t)sched_process_cpu_ns();
	case CLOCK_THREAD_CPUTIME_ID:
		return (int64_t)sched_thread_cpu_ns(NULL);
	default:
		return clock < 0 ? cpu_clock_ns(clock) : -EINVAL;
	}
}

static int put_timespec(uint64_t uts, int64_t ns)
{
	struct timespec64 *ts = user_ptr(uts, sizeof(*ts), 1);
	if (!ts)
		return -EFAULT;
	ts->sec = ns / NS;
	ts->nsec = ns % NS;
	return 0;
}

static int get_timespec(uint64_t uts, int64_t *ns)
{
	const struct timespec64 *ts = user_ptr(uts, sizeof(*ts), 0);
	if (!ts)
		return -EFAULT;
	if (ts->sec < 0 || ts->nsec < 0 || ts->nsec >= NS)
		return -EINVAL;
	*ns = ts->sec * NS + ts->nsec;
	return 0;
}

long sys_clock_gettime(uint64_t clock, uint64_t ts, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	int64_t ns = clock_ns((int64_t)clock);
	return ns == -EINVAL ? -EINVAL : put_timespec(ts, ns);
}

long sys_clock_getres(uint64_t clock, uint64_t ts, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	if (clock_ns((int64_t)clock) == -EINVAL)
		return -EINVAL;
	return ts ? put_timespec(ts, 1) : 0;
}

long sys_gettimeofday(uint64_t utv, uint64_t tz, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)tz, (void)a2, (void)a3, (void)a4, (void)a5;
	if (!utv)
		return 0;
	int64_t *tv = user_ptr(utv, 16, 1);
	if (!tv)
		return -EFAULT;
	int64_t ns = clock_wall_ns();
	tv[0] = ns / NS;
	tv[1] = (ns % NS) / 1000;
	return 0;
}

long sys_time(uint64_t ut, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	int64_t sec = clock_wall_ns() / NS;
	if (ut) {
		int64_t *t = user_ptr(ut, 8, 1);
		if (!t)
			return -EFAULT;
		*t = sec;
	}
	return sec;
}

long sys_nanosleep(uint64_t ureq, uint64_t urem, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)urem, (void)a2, (void)a3, (void)a4, (void)a5;
	int64_t ns;
	int rc = get_timespec(ureq, &ns);
	if (rc < 0)
		return rc;
	sleep_until(clock_monotonic_ns() + (uint64_t)ns);
	return 0;
}

long sys_clock_nanosleep(uint64_t clock, uint64_t flags, uint64_t ureq, uint64_t urem, uint64_t a4, uint64_t a5)
{
	(void)urem, (void)a4, (void)a5;
	int64_t ns, now = clock_ns((int64_t)clock);
	if (now == -EINVAL)
		return -EINVAL;
	int rc = get_timespec(ureq, &ns);
	if (rc < 0)
		return rc;
	int64_t wait = (flags & TIMER_ABSTIME) ? ns - now : ns;
	if (wait > 0)
		sleep_until(clock_monotonic_ns() + (uint64_t)wait);
	return 0;
}
