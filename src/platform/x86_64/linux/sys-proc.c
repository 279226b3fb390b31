/* The process: identity, limits, signals (none are delivered), TLS, randomness.
 * Threads, futexes and thread exit are in linux/sys-thread.c. */
#include <errno.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/features.h"
#include "cpu/smp.h"
#include "lib/log.h"
#include "linux/console.h"
#include "linux/fd.h"
#include "linux/process.h"
#include "linux/syscall.h"
#include "mm/pmm.h"
#include "time/clock.h"

/* Linux UAPI values (asm/prctl.h, asm-generic/resource.h, linux/futex.h, signal.h). */
#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004
#define RLIMIT_STACK 3
#define RLIMIT_NOFILE 7
#define RLIMIT_NLIMITS 16
#define RLIM_INFINITY (~0ull)
#define SS_DISABLE 2
#define PR_SET_NAME 15
#define PR_GET_NAME 16
#define PID LINUX_PID
#define UTS_FIELD 65

long sys_exit_group(uint64_t status)
{
	process_exit((int)(status & 0xff));
}

#define ID_CALL(name, value)      \
	long sys_##name(void)     \
	{                         \
		return value;     \
	}
ID_CALL(getpid, PID)
ID_CALL(getppid, 0)
ID_CALL(getuid, 0)
ID_CALL(geteuid, 0)
ID_CALL(getgid, 0)
ID_CALL(getegid, 0)
ID_CALL(rseq, -ENOSYS)       /* glibc then manages without restartable sequences */
ID_CALL(pkey_alloc, -EINVAL) /* no memory protection keys */
ID_CALL(membarrier, -EINVAL)

long sys_uname(user_ptr ubuf)
{
	static const char *const fields[6] = { "Linux", "rtjs", "6.1.0-rtjs", "#1 rtjs", "x86_64", "" };
	char u[6 * UTS_FIELD];
	memset(u, 0, sizeof(u));
	for (int i = 0; i < 6; i++)
		memcpy(u + i * UTS_FIELD, fields[i], strlen(fields[i]));
	return user_copy_out(ubuf, u, sizeof(u));
}

long sys_arch_prctl(uint64_t code, uint64_t addr)
{
	switch (code) {
	case ARCH_SET_FS:
		if (addr >= USER_LIMIT)
			return -EPERM;
		wrmsr(MSR_FS_BASE, addr);
		return 0;
	case ARCH_GET_FS: {
		uint64_t fs = rdmsr(MSR_FS_BASE);
		return user_copy_out(user_at(addr), &fs, sizeof(fs));
	}
	case ARCH_SET_GS:
	case ARCH_GET_GS:
		return -EPERM; /* GS is the kernel's per-CPU block */
	default:
		return -EINVAL;
	}
}

static void limit_of(unsigned res, uint64_t out[2])
{
	out[0] = out[1] = RLIM_INFINITY;
	if (res == RLIMIT_STACK)
		out[0] = STACK_SIZE;
	else if (res == RLIMIT_NOFILE)
		out[0] = out[1] = FD_MAX;
}

long sys_prlimit64(uint64_t pid, uint64_t res, user_ptr unew, user_ptr uold)
{
	if (pid != 0 && pid != PID)
		return -ESRCH;
	if (res >= RLIMIT_NLIMITS)
		return -EINVAL;
	if (uold.addr) {
		uint64_t old[2];
		limit_of((unsigned)res, old);
		if (user_copy_out(uold, old, sizeof(old)) < 0)
			return -EFAULT;
	}
	(void)unew; /* limits are fixed; a program lowering its own is harmless to ignore */
	return 0;
}

long sys_getrlimit(uint64_t res, user_ptr uold)
{
	return sys_prlimit64(0, res, user_at(0), uold);
}

/* Zeros over the program's n bytes at p, as much as `zeros` holds at a time. */
static long put_zeros(user_ptr p, uint64_t n)
{
	static const char zeros[128];
	for (uint64_t done = 0; done < n; done += sizeof(zeros)) {
		uint64_t c = n - done < sizeof(zeros) ? n - done : sizeof(zeros);
		if (user_copy_out(user_offset(p, done), zeros, c) < 0)
			return -EFAULT;
	}
	return 0;
}

/* x86_64's struct sigaction as rt_sigaction reads and writes it (include/linux/signal_types.h):
 * handler, flags and restorer, 8 bytes each, before the mask of sigsetsize bytes. */
#define SIGACTION_HEAD 24

long sys_rt_sigaction(uint64_t sig, user_ptr act, user_ptr uold, uint64_t size)
{
	(void)sig, (void)act;
	/* SIG_DFL: no handler was ever installed; the whole old action, not only its first
	 * sigsetsize bytes. */
	if (uold.addr && put_zeros(uold, SIGACTION_HEAD + size) < 0)
		return -EFAULT;
	return 0; /* no signal is ever delivered, so handlers are never called */
}

long sys_rt_sigprocmask(uint64_t how, user_ptr set, user_ptr uold, uint64_t size)
{
	(void)how, (void)set;
	if (uold.addr && put_zeros(uold, size) < 0)
		return -EFAULT;
	return 0;
}

long sys_sigaltstack(user_ptr ss, user_ptr uold)
{
	(void)ss;
	uint64_t old[3] = { 0, SS_DISABLE, 0 }; /* stack_t: sp, flags, size */
	if (uold.addr && user_copy_out(uold, old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

/* A signal sent to itself (abort() raises SIGABRT) ends the program as Linux would. */
static long signal_self(uint64_t sig)
{
	if (sig == 0)
		return 0;
	kprintf("linux: program killed by signal %lu\n", (unsigned long)sig);
	process_exit(128 + (int)(sig & 0x7f));
}

long sys_kill(uint64_t pid, uint64_t sig)
{
	return pid == PID || pid == 0 ? signal_self(sig) : -ESRCH;
}

long sys_tkill(uint64_t tid, uint64_t sig)
{
	return linux_tid_alive((int)tid) ? signal_self(sig) : -ESRCH;
}

long sys_tgkill(uint64_t pid, uint64_t tid, uint64_t sig)
{
	(void)pid;
	return linux_tid_alive((int)tid) ? signal_self(sig) : -ESRCH;
}

long sys_getrandom(user_ptr ubuf, uint64_t len)
{
	char *buf = user_access(ubuf, len, 1);
	if (!buf)
		return -EFAULT;
	return random_read_user(buf, len);
}

long sys_prctl(uint64_t option)
{
	return option == PR_SET_NAME ? 0 : -EINVAL;
}

long sys_sysinfo(user_ptr uinfo)
{
	/* struct sysinfo (linux/sysinfo.h): uptime, loads[3], totalram, freeram, ..., mem_unit */
	uint64_t si[14] = { 0 }; /* 112 bytes */
	si[0] = clock_monotonic_ns() / NS_PER_SEC;
	si[4] = pmm_total_count();
	si[5] = pmm_free_count();
	((uint32_t *)si)[26] = PAGE_SIZE; /* mem_unit */
	return user_copy_out(uinfo, si, sizeof(si));
}
