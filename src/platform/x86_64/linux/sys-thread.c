/* The thread system calls: clone, exit, futex, thread ids (over sched/sched.h, which
 * linux_start starts). nanosleep and clock_nanosleep (linux/sys-time.c) and console waits
 * block through sleep_until (linux/console.c), which lets other threads run. */
#include <errno.h>

#include "cpu/cpu.h"
#include "cpu/percpu.h"
#include "linux/process.h"
#include "linux/syscall.h"
#include "sched/sched.h"
#include "time/clock.h"

/* Linux UAPI values (linux/sched.h, linux/futex.h, linux/time.h). */
#define CLONE_VM 0x00000100
#define CLONE_SIGHAND 0x00000800
#define CLONE_SETTLS 0x00080000
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_CHILD_SETTID 0x01000000
#define CLONE_THREAD 0x00010000
#define CLONE_THREAD_FLAGS (CLONE_VM | CLONE_SIGHAND | CLONE_THREAD)
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_CMD_MASK 0x7f /* without FUTEX_PRIVATE_FLAG (128) and FUTEX_CLOCK_REALTIME */
#define FUTEX_CLOCK_REALTIME 256
#define ROBUST_LIST_HEAD_SIZE 24 /* struct robust_list_head on x86_64 */
#define MAIN_TID LINUX_PID

static int next_tid = MAIN_TID + 1;

/* The calling thread; NULL if the scheduler could not start (one thread only then). */
static struct thread *current(void)
{
	return sched_running() ? sched_current() : NULL;
}

int linux_tid_alive(int tid)
{
	return sched_running() ? sched_find(tid) != NULL : tid == MAIN_TID;
}

/* An absolute time on `clock` as a CLOCK_MONOTONIC deadline. */
static uint64_t monotonic_deadline(int64_t abs_ns, int realtime)
{
	int64_t now = realtime ? clock_wall_ns() : (int64_t)clock_monotonic_ns();
	if (abs_ns <= now)
		return clock_monotonic_ns();
	uint64_t left = (uint64_t)(abs_ns - now);
	uint64_t mono = clock_monotonic_ns();
	return left > UINT64_MAX - mono ? UINT64_MAX : mono + left;
}

static uint64_t relative_deadline(int64_t ns)
{
	uint64_t mono = clock_monotonic_ns();
	return (uint64_t)ns > UINT64_MAX - mono ? UINT64_MAX : mono + (uint64_t)ns;
}

long sys_futex(user_ptr uaddr, uint64_t op, uint64_t val, uint64_t utimeout, user_ptr uaddr2,
	       uint64_t val3)
{
	unsigned cmd = (unsigned)op & FUTEX_CMD_MASK;
	uint64_t deadline = UINT64_MAX;
	int64_t ns;
	if ((cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET) && utimeout) {
		int rc = user_timespec(user_at(utimeout), &ns); /* val2 for the requeues */
		if (rc < 0)
			return rc;
		deadline = cmd == FUTEX_WAIT ? relative_deadline(ns)
					     : monotonic_deadline(ns, (op & FUTEX_CLOCK_REALTIME) != 0);
	}
	if (!current())
		return -ENOMEM;
	switch (cmd) {
	case FUTEX_WAIT:
		return futex_wait(uaddr.addr, (uint32_t)val, FUTEX_BITSET_ANY, deadline);
	case FUTEX_WAIT_BITSET:
		return futex_wait(uaddr.addr, (uint32_t)val, (uint32_t)val3, deadline);
	case FUTEX_WAKE:
		return futex_wake(uaddr.addr, (int)val, FUTEX_BITSET_ANY);
	case FUTEX_WAKE_BITSET:
		return futex_wake(uaddr.addr, (int)val, (uint32_t)val3);
	case FUTEX_REQUEUE:
		return futex_requeue(uaddr.addr, (int)val, (int)utimeout, uaddr2.addr, 0, 0);
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(uaddr.addr, (int)val, (int)utimeout, uaddr2.addr, 1, (uint32_t)val3);
	default:
		return -ENOSYS; /* priority inheritance and FUTEX_WAKE_OP: glibc does without */
	}
}

static int write_tid(user_ptr uaddr, int tid)
{
	return user_copy_out(uaddr, &tid, sizeof(tid));
}

/* clone(flags, newsp, parent_tid, child_tid, tls): x86_64 argument order (kernel/fork.c). */
long sys_clone(uint64_t flags, uint64_t newsp, user_ptr ptid, user_ptr ctid, uint64_t tls)
{
	if ((flags & CLONE_THREAD_FLAGS) != CLONE_THREAD_FLAGS || !newsp)
		return -ENOSYS; /* no processes: only threads sharing everything */
	if (!current())
		return -EAGAIN;
	int tid = __atomic_fetch_add(&next_tid, 1, __ATOMIC_RELAXED);
	if ((flags & CLONE_PARENT_SETTID) && write_tid(ptid, tid) < 0)
		return -EFAULT;
	if ((flags & CLONE_CHILD_SETTID) && write_tid(ctid, tid) < 0)
		return -EFAULT;
	uint64_t fs = (flags & CLONE_SETTLS) ? tls : rdmsr(MSR_FS_BASE);
	struct thread *t = sched_clone_current(newsp, fs, tid);
	if (!t)
		return -EAGAIN;
	if (flags & CLONE_CHILD_CLEARTID)
		t->clear_child_tid = ctid.addr;
	return tid;
}

long sys_clone3(void)
{
	return -ENOSYS; /* glibc falls back to clone */
}

long sys_exit(uint64_t status)
{
	struct thread *t = sched_running() ? sched_current() : NULL;
	if (t && t->clear_child_tid) {
		/* pthread_join waits for this word to become 0 (set_tid_address(2)). */
		if (write_tid(user_at(t->clear_child_tid), 0) == 0)
			futex_wake(t->clear_child_tid, 1, FUTEX_BITSET_ANY);
	}
	if (t)
		sched_exit_thread(); /* returns only for the last thread */
	process_exit((int)(status & 0xff));
}

long sys_gettid(void)
{
	return sched_running() ? sched_current()->tid : MAIN_TID;
}

long sys_set_tid_address(user_ptr tidptr)
{
	struct thread *t = current();
	if (!t)
		return MAIN_TID;
	t->clear_child_tid = tidptr.addr;
	return t->tid;
}

long sys_set_robust_list(user_ptr head, uint64_t len)
{
	if (len != ROBUST_LIST_HEAD_SIZE)
		return -EINVAL;
	struct thread *t = current();
	if (t)
		t->robust_list = head.addr;
	return 0;
}

long sys_sched_yield(void)
{
	if (sched_running())
		sched_yield();
	return 0;
}

/* The thread a pid argument names: 0 is the caller. */
static struct thread *thread_of(uint64_t pid)
{
	if (!sched_running())
		return NULL;
	return pid == 0 ? sched_current() : sched_find((int)pid);
}

/* sched_setaffinity(pid, len, mask): the runtime pins each engine thread to its CPU. */
long sys_sched_setaffinity(uint64_t pid, uint64_t len, user_ptr umask)
{
	size_t n = len < sizeof(uint64_t) ? (size_t)len : sizeof(uint64_t);
	uint8_t bytes[sizeof(uint64_t)];
	if (user_copy_in(bytes, umask, n) < 0)
		return -EFAULT;
	uint64_t mask = 0;
	for (size_t i = 0; i < n; i++)
		mask |= (uint64_t)bytes[i] << (8 * i);
	struct thread *t = thread_of(pid);
	if (!t)
		return sched_running() ? -ESRCH : 0;
	return sched_set_affinity(t, mask);
}

long sys_sched_getaffinity(uint64_t pid, uint64_t size, user_ptr umask)
{
	if (size < sizeof(uint64_t) || (size & (sizeof(uint64_t) - 1)))
		return -EINVAL;
	if (!user_access(umask, sizeof(uint64_t), 1))
		return -EFAULT;
	struct thread *t = thread_of(pid);
	if (!t && sched_running())
		return -ESRCH;
	uint64_t all = sched_running() ? sched_cpu_mask() : 1;
	uint64_t mask = t && t->affinity ? t->affinity : all;
	if (user_copy_out(umask, &mask, sizeof(mask)) < 0)
		return -EFAULT;
	return sizeof(uint64_t); /* bytes written, as the raw system call returns */
}

/* getcpu(cpu, node, cache): glibc's sched_getcpu without a vDSO. */
long sys_getcpu(user_ptr ucpu, user_ptr unode)
{
	unsigned cpu = this_cpu()->cpu_index;
	if (ucpu.addr && write_tid(ucpu, (int)cpu) < 0)
		return -EFAULT;
	if (unode.addr && write_tid(unode, 0) < 0)
		return -EFAULT;
	return 0;
}
