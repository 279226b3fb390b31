/* The Linux system calls the kernel answers for the program it hosts in ring 0.
 *
 * LINUX_SYSCALLS is the one list: number, name, and the handler `sys_<name>` (in
 * sys-<family>.c). The dispatch table is built from it; a number not in it is logged once
 * with its name (syscall-names.h) and answers -ENOSYS. Handlers take the six argument
 * registers and return a value or a negative errno. Pointers from the program are plain
 * integers until user_ptr() has checked them against the program's memory areas. */
#ifndef RTJS_LINUX_SYSCALL_H
#define RTJS_LINUX_SYSCALL_H

#include <stddef.h>
#include <stdint.h>

#define LINUX_SYSCALLS(X)                                                                  \
	X(0, read) X(1, write) X(2, open) X(3, close) X(4, stat) X(5, fstat) X(6, lstat)    \
	X(7, poll) X(8, lseek) X(9, mmap) X(10, mprotect) X(11, munmap) X(12, brk)           \
	X(13, rt_sigaction) X(14, rt_sigprocmask) X(16, ioctl) X(17, pread64)               \
	X(19, readv) X(20, writev) X(21, access) X(24, sched_yield) X(25, mremap)           \
	X(28, madvise) X(32, dup) X(33, dup2) X(35, nanosleep) X(39, getpid) X(56, clone)  \
	X(60, exit) X(62, kill) X(63, uname) X(72, fcntl) X(79, getcwd) X(89, readlink)    \
	X(96, gettimeofday) X(97, getrlimit) X(99, sysinfo) X(102, getuid) X(104, getgid)  \
	X(107, geteuid) X(108, getegid) X(110, getppid) X(131, sigaltstack)                  \
	X(157, prctl) X(158, arch_prctl) X(186, gettid) X(200, tkill) X(201, time)         \
	X(202, futex) X(203, sched_setaffinity) X(204, sched_getaffinity)                    \
	X(217, getdents64) X(218, set_tid_address) X(228, clock_gettime)                     \
	X(229, clock_getres) X(230, clock_nanosleep) X(231, exit_group) X(234, tgkill)     \
	X(257, openat) X(262, newfstatat) X(267, readlinkat) X(269, faccessat)              \
	X(271, ppoll) X(273, set_robust_list) X(292, dup3)                 \
	X(302, prlimit64) X(309, getcpu) X(318, getrandom) X(324, membarrier) X(330, pkey_alloc)           \
	X(334, rseq) X(435, clone3) X(439, faccessat2)

#define X(nr, name) long sys_##name(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, \
				    uint64_t a4, uint64_t a5);
LINUX_SYSCALLS(X)
#undef X

/* The registers saved by the entry (syscall-entry.S), lowest address first. */
struct syscall_frame {
	uint64_t rdi, rsi, rdx, r10, r8, r9;
	uint64_t nr;
	uint64_t rip, rflags, rsp; /* the caller's: RCX, R11 and RSP at the syscall */
};

/* Sets up LSTAR/STAR/FMASK on this CPU and the stack the entry switches to. */
int syscall_init(void);
long syscall_dispatch(struct syscall_frame *f);
/* The rtjs-specific calls (include/rtjs-syscall.h; sys-rtjs.c). */
long rtjs_syscall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);
/* Logs every system call with its arguments and result (kernel flag `strace`). */
void syscall_trace(int on);

/* The program's pointer `addr` as a kernel pointer if [addr, addr+len) lies in its memory
 * areas and allows the access (write: 1 to write), else NULL (the handler says -EFAULT). */
void *user_ptr(uint64_t addr, size_t len, int write);
/* A NUL-terminated string of the program's, copied into buf; -EFAULT or -ENAMETOOLONG. */
int user_string(uint64_t addr, char *buf, size_t cap);

#endif
