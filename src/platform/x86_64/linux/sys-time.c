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

static int put_timespec(user_ptr uts, int64_t ns)
{
	struct timespec64 ts = { ns / NS_PER_SEC, ns % NS_PER_SEC };
	return user_copy_out(uts, &ts, sizeof(ts));
}

int user_timespec(user_ptr uts, int64_t *ns)
{
	struct timespec64 ts;
	if (user_copy_in(&ts, uts, sizeof(ts)) < 0)
		return -EFAULT;
	if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= NS_PER_SEC)
		return -EINVAL;
	*ns = ts.sec > INT64_MAX / NS_PER_SEC - 1 ? INT64_MAX : ts.sec * NS_PER_SEC + ts.nsec;
	return 0;
}

long sys_clock_gettime(uint64_t clock, user_ptr ts)
{
	int64_t ns = clock_ns((int64_t)clock);
	return ns == -EINVAL ? -EINVAL : put_timespec(ts, ns);
}

long sys_clock_getres(uint64_t clock, user_ptr ts)
{
	if (clock_ns((int64_t)clock) == -EINVAL)
		return -EINVAL;
	return ts.addr ? put_timespec(ts, 1) : 0;
}

long sys_gettimeofday(user_ptr utv)
{
	if (!utv.addr)
		return 0;
	int64_t ns = clock_wall_ns();
	int64_t tv[2] = { ns / NS_PER_SEC, (ns % NS_PER_SEC) / NS_PER_US }; /* struct timeval */
	return user_copy_out(utv, tv, sizeof(tv));
}

long sys_time(user_ptr ut)
{
	int64_t sec = clock_wall_ns() / NS_PER_SEC;
	if (ut.addr && user_copy_out(ut, &sec, sizeof(sec)) < 0)
		return -EFAULT;
	return sec;
}

long sys_nanosleep(user_ptr ureq)
{
	int64_t ns;
	int rc = user_timespec(ureq, &ns);
	if (rc < 0)
		return rc;
	sleep_until(clock_monotonic_ns() + (uint64_t)ns);
	return 0;
}

long sys_clock_nanosleep(uint64_t clock, uint64_t flags, user_ptr ureq)
{
	int64_t ns, now = clock_ns((int64_t)clock);
	if (now == -EINVAL)
		return -EINVAL;
	int rc = user_timespec(ureq, &ns);
	if (rc < 0)
		return rc;
	int64_t wait = (flags & TIMER_ABSTIME) ? ns - now : ns;
	if (wait > 0)
		sleep_until(clock_monotonic_ns() + (uint64_t)wait);
	return 0;
}
