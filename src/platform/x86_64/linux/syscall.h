/* The system calls the kernel answers for the program it hosts in ring 0: Linux's (here)
 * and rtjs's own (RTJS_SYSCALLS, include/rtjs-syscall.h).
 *
 * LINUX_SYSCALLS is the one list of Linux calls: X(number, name, argument count, the
 * handler's arguments). The dispatch table, the handlers' prototypes and the trace's names
 * and argument counts are built from the two lists (linux/syscall.c); a number in neither
 * is logged once with its name (syscall-names.h) and answers -ENOSYS. The handler
 * `sys_<name>` (in sys-<family>.c) takes the leading arguments it uses, each I (uint64_t)
 * or P (user_ptr: a pointer into the program's memory, unusable until user_access() has
 * checked it), and returns a value or a negative errno. */
#ifndef RTJS_LINUX_SYSCALL_H
#define RTJS_LINUX_SYSCALL_H

#include <stddef.h>
#include <stdint.h>

#include "rtjs-syscall.h"

#define LINUX_SYSCALLS(X)                                                                   \
	X(0, read, 3, (I, P, I)) X(1, write, 3, (I, P, I)) X(2, open, 3, (P, I))              \
	X(3, close, 1, (I)) X(4, stat, 2, (P, P)) X(5, fstat, 2, (I, P)) X(6, lstat, 2, (P, P)) \
	X(7, poll, 3, (P, I, I)) X(8, lseek, 3, (I, I, I)) X(9, mmap, 6, (I, I, I, I, I, I))   \
	X(10, mprotect, 3, (I, I, I)) X(11, munmap, 2, (I, I)) X(12, brk, 1, (I))              \
	X(13, rt_sigaction, 4, (I, P, P, I)) X(14, rt_sigprocmask, 4, (I, P, P, I))            \
	X(16, ioctl, 3, (I, I, I)) X(17, pread64, 4, (I, P, I, I)) X(19, readv, 3, (I, P, I))  \
	X(20, writev, 3, (I, P, I)) X(21, access, 2, (P, I)) X(24, sched_yield, 0, ())          \
	X(25, mremap, 5, ()) X(28, madvise, 3, (I, I, I)) X(32, dup, 1, (I))                   \
	X(33, dup2, 2, (I, I)) X(35, nanosleep, 2, (P)) X(39, getpid, 0, ())                   \
	X(56, clone, 5, (I, I, P, P, I)) X(60, exit, 1, (I)) X(62, kill, 2, (I, I))             \
	X(63, uname, 1, (P)) X(72, fcntl, 3, (I, I, I)) X(79, getcwd, 2, (P, I))               \
	X(89, readlink, 3, (P, P, I)) X(96, gettimeofday, 2, (P)) X(97, getrlimit, 2, (I, P))  \
	X(99, sysinfo, 1, (P)) X(102, getuid, 0, ()) X(104, getgid, 0, ())                     \
	X(107, geteuid, 0, ()) X(108, getegid, 0, ()) X(110, getppid, 0, ())                   \
	X(131, sigaltstack, 2, (P, P)) X(157, prctl, 5, (I)) X(158, arch_prctl, 2, (I, I))     \
	X(186, gettid, 0, ()) X(200, tkill, 2, (I, I)) X(201, time, 1, (P))                    \
	X(202, futex, 6, (P, I, I, I, P, I)) X(203, sched_setaffinity, 3, (I, I, P))           \
	X(204, sched_getaffinity, 3, (I, I, P)) X(217, getdents64, 3, (I, P, I))                     \
	X(218, set_tid_address, 1, (P)) X(228, clock_gettime, 2, (I, P))                       \
	X(229, clock_getres, 2, (I, P)) X(230, clock_nanosleep, 4, (I, I, P))                  \
	X(231, exit_group, 1, (I)) X(234, tgkill, 3, (I, I, I)) X(257, openat, 4, (I, P, I))   \
	X(262, newfstatat, 4, (I, P, P, I)) X(267, readlinkat, 4, (I, P, P, I))                \
	X(269, faccessat, 3, (I, P, I)) X(271, ppoll, 5, (P, I, P))                            \
	X(273, set_robust_list, 2, (P, I)) X(292, dup3, 3, (I, I, I))                          \
	X(302, prlimit64, 4, (I, I, P, P)) X(309, getcpu, 3, (P, P)) X(318, getrandom, 3, (P, I)) \
	X(324, membarrier, 3, ()) X(330, pkey_alloc, 2, ()) X(334, rseq, 4, ())                \
	X(435, clone3, 2, ()) X(439, faccessat2, 4, (I, P, I))

/* An address in the program's memory as the program passed it. It is a struct so that it
 * cannot be dereferenced: user_access() checks it and gives the kernel pointer. The
 * address itself (.addr) may be read, e.g. as a futex's key. */
typedef struct {
	uint64_t addr;
} user_ptr;

static inline user_ptr user_at(uint64_t addr)
{
	return (user_ptr){ addr };
}

static inline user_ptr user_offset(user_ptr p, uint64_t bytes)
{
	return (user_ptr){ p.addr + bytes };
}

/* The handlers' prototypes, from the lists: long sys_read(uint64_t, user_ptr, uint64_t); */
#define SYSCALL_ARG_TYPE_I uint64_t
#define SYSCALL_ARG_TYPE_P user_ptr
#define SYSCALL_COUNT_ARGS(...) SYSCALL_COUNT_ARGS_(, ##__VA_ARGS__, 6, 5, 4, 3, 2, 1, 0)
#define SYSCALL_COUNT_ARGS_(_, a, b, c, d, e, f, n, ...) n
#define SYSCALL_CAT(a, b) SYSCALL_CAT_(a, b)
#define SYSCALL_CAT_(a, b) a##b
#define SYSCALL_PARAMS(args) SYSCALL_CAT(SYSCALL_PARAMS, SYSCALL_COUNT_ARGS args) args
#define SYSCALL_PARAMS0() void
#define SYSCALL_PARAMS1(a) SYSCALL_ARG_TYPE_##a
#define SYSCALL_PARAMS2(a, b) SYSCALL_PARAMS1(a), SYSCALL_ARG_TYPE_##b
#define SYSCALL_PARAMS3(a, b, c) SYSCALL_PARAMS2(a, b), SYSCALL_ARG_TYPE_##c
#define SYSCALL_PARAMS4(a, b, c, d) SYSCALL_PARAMS3(a, b, c), SYSCALL_ARG_TYPE_##d
#define SYSCALL_PARAMS5(a, b, c, d, e) SYSCALL_PARAMS4(a, b, c, d), SYSCALL_ARG_TYPE_##e
#define SYSCALL_PARAMS6(a, b, c, d, e, f) SYSCALL_PARAMS5(a, b, c, d, e), SYSCALL_ARG_TYPE_##f
#define SYSCALL_PROTOTYPE(nr, name, argc, args) long sys_##name(SYSCALL_PARAMS(args));
LINUX_SYSCALLS(SYSCALL_PROTOTYPE)
RTJS_SYSCALLS(SYSCALL_PROTOTYPE)
#undef SYSCALL_PROTOTYPE

/* The registers saved by the entry (syscall-entry.S), lowest address first. */
struct syscall_frame {
	uint64_t rdi, rsi, rdx, r10, r8, r9;
	uint64_t nr;
	uint64_t rip, rflags, rsp; /* the caller's: RCX, R11 and RSP at the syscall */
};

/* Sets up LSTAR/STAR/FMASK on this CPU and the stack the entry switches to. */
int syscall_init(void);
long syscall_dispatch(struct syscall_frame *f);
/* Logs every system call with its arguments and result (kernel flag `strace`). */
void syscall_trace(int on);

/* The program's pointer `p` as a kernel pointer if [p, p+len) lies in its memory areas and
 * allows the access (write: 1 to write), else NULL (the handler says -EFAULT). */
void *user_access(user_ptr p, size_t len, int write);
/* The program's 32-bit word at addr, read where a page fault cannot be served (a spinlock
 * held): 0, or -EFAULT if the page is not present or not there (linux/user-nofault.S). */
int user_load_u32_nofault(uint64_t addr, uint32_t *out);
/* The labels of that load and of its way out, for the page-fault handler. */
extern const char user_nofault_load[], user_nofault_fixup[];
/* Copies n bytes where one side is the program's memory and was checked with user_access:
 * 0, or -EFAULT if a page of it went away (unmapped or protected by another thread) during
 * the copy (linux/user-copy.S). Interrupts on, no spinlock held. */
int user_copy(void *dst, const void *src, size_t n);
/* The copying instruction and its way out, for the page-fault handler. */
extern const char user_copy_move[], user_copy_fixup[];
/* n bytes of the program's at src into the kernel's dst: 0 or -EFAULT. */
int user_copy_in(void *dst, user_ptr src, size_t n);
/* n bytes of the kernel's at src into the program's dst: 0 or -EFAULT. */
int user_copy_out(user_ptr dst, const void *src, size_t n);
/* n random bytes into the program's buf (checked with user_access), FILE_BOUNCE at a time
 * (linux/sys-fs.c): n, or what was written before a fault, or -EFAULT / -EIO. */
long random_read_user(char *buf, size_t n);
/* Makes the program's page at p present as a fault would (write: 1 for write access):
 * 0, or -EFAULT (not in its memory areas or not allowed), -ENOMEM. Interrupts on. */
int user_fault_in(user_ptr p, int write);
/* A NUL-terminated string of the program's, copied into buf; -EFAULT or -ENAMETOOLONG. */
int user_string(user_ptr p, char *buf, size_t cap);
/* A struct timespec of the program's as nanoseconds (INT64_MAX at most); -EFAULT, or -EINVAL
 * out of range (linux/sys-time.c). */
int user_timespec(user_ptr p, int64_t *ns);

#endif
