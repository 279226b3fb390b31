#include "linux/syscall.h"

#include <errno.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/gdt.h"
#include "cpu/percpu.h"
#include "lib/format.h"
#include "lib/log.h"
#include "linux/syscall-names.h"
#include "rtjs-syscall.h"
#include "cpu/lock.h"
#include "linux/vma.h"
#include "mm/paging.h"
#include "sched/sched.h"

#define SYSCALL_STACK_PAGES 16 /* 64 KiB: handlers are shallow; deep work lives elsewhere */
/* Linux's numbers are below this (x86_64 ends near 460); rtjs's are RTJS_SYS_BASE and up,
 * and take the table's slots after Linux's. */
#define LINUX_SYSCALL_LIMIT 512
#define SYSCALL_SLOT(nr) \
	((nr) >= RTJS_SYS_BASE ? LINUX_SYSCALL_LIMIT + ((nr) - RTJS_SYS_BASE) : (nr))
#define SYSCALL_SLOTS (LINUX_SYSCALL_LIMIT + RTJS_SYS_COUNT)
/* RFLAGS bits cleared on entry (SDM vol. 3A, 2.3): IF, DF, TF and AC. */
#define FMASK_BITS ((1u << 9) | (1u << 10) | (1u << 8) | (1u << 18))
/* STAR[47:32]: CS for syscall (SS is CS + 8), the kernel's own selectors. */
#define STAR_SYSCALL_CS_SHIFT 32

extern char syscall_entry[];

/* Each call's adapter from the saved registers to its handler's arguments, e.g.
 *   static long call_read(const struct syscall_frame *f)
 *   { return sys_read(f->rdi, user_at(f->rsi), f->rdx); } */
#define ARG_VALUE_I(v) (v)
#define ARG_VALUE_P(v) user_at(v)
#define APPLY(m, ...) m(__VA_ARGS__)
#define UNPACK(...) __VA_ARGS__
#define ARGS(f, args) APPLY(SYSCALL_CAT(ARGS, SYSCALL_COUNT_ARGS args), f, UNPACK args)
#define ARGS0(f, ...)
#define ARGS1(f, a) ARG_VALUE_##a(f->rdi)
#define ARGS2(f, a, b) ARGS1(f, a), ARG_VALUE_##b(f->rsi)
#define ARGS3(f, a, b, c) ARGS2(f, a, b), ARG_VALUE_##c(f->rdx)
#define ARGS4(f, a, b, c, d) ARGS3(f, a, b, c), ARG_VALUE_##d(f->r10)
#define ARGS5(f, a, b, c, d, e) ARGS4(f, a, b, c, d), ARG_VALUE_##e(f->r8)
#define ARGS6(f, a, b, c, d, e, g) ARGS5(f, a, b, c, d, e), ARG_VALUE_##g(f->r9)
#define ADAPTER(nr, name, argc, args)                                                     \
	_Static_assert(SYSCALL_COUNT_ARGS args <= (argc), #name ": more arguments than it has"); \
	_Static_assert((nr) < LINUX_SYSCALL_LIMIT ||                                      \
			       ((nr) >= RTJS_SYS_BASE && (nr) < RTJS_SYS_BASE + RTJS_SYS_COUNT), \
		       #name ": number outside the table");                                \
	static long call_##name(const struct syscall_frame *f)                             \
	{                                                                                  \
		(void)f;                                                                   \
		return sys_##name(ARGS(f, args));                                          \
	}
LINUX_SYSCALLS(ADAPTER)
RTJS_SYSCALLS(ADAPTER)
#undef ADAPTER

struct syscall {
	const char *name;
	unsigned argc; /* the call's, for the trace: the handler may use fewer */
	long (*call)(const struct syscall_frame *f);
};

/* Designated by number: a number listed twice is an error (-Woverride-init, in -Wextra). */
#define ENTRY(nr, name, argc, args) [SYSCALL_SLOT(nr)] = { #name, (argc), call_##name },
static const struct syscall table[SYSCALL_SLOTS] = { LINUX_SYSCALLS(ENTRY) RTJS_SYSCALLS(ENTRY) };
#undef ENTRY

static uint8_t reported[LINUX_SYSCALL_LIMIT];

int syscall_init(void)
{
	uint64_t stack = vm_alloc_stack(SYSCALL_STACK_PAGES);
	if (!stack)
		return -ENOMEM;
	this_cpu()->kernel_stack = stack;
	wrmsr(MSR_STAR, (uint64_t)GDT_KCODE << STAR_SYSCALL_CS_SHIFT);
	wrmsr(MSR_LSTAR, (uint64_t)(uintptr_t)syscall_entry);
	wrmsr(MSR_FMASK, FMASK_BITS);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	return 0;
}

static int tracing;

void syscall_trace(int on)
{
	tracing = on;
}

static const char *unknown_name(uint64_t nr)
{
	const char *name = nr < sizeof(linux_syscall_names) / sizeof(linux_syscall_names[0]) ?
				   linux_syscall_names[nr] : NULL;
	return name ? name : "?";
}

/* One line per call, strace-like: thread, name, the call's arguments, result. */
static long traced_call(const struct syscall *sc, const struct syscall_frame *f)
{
	long rc = sc->call(f);
	struct thread *t = sched_running() ? sched_current() : NULL;
	const uint64_t regs[] = { f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9 };
	char args[6 * sizeof(", ffffffffffffffff")] = "";
	size_t at = 0;
	for (unsigned i = 0; i < sc->argc && at < sizeof(args); i++)
		at += (size_t)ksnprintf(args + at, sizeof(args) - at, "%s%lx", i ? ", " : "",
					(unsigned long)regs[i]);
	kprintf("[%d] %s(%s) = %ld\n", t ? t->tid : 0, sc->name, args, rc);
	return rc;
}

static const struct syscall *lookup(uint64_t nr)
{
	uint64_t slot = nr < LINUX_SYSCALL_LIMIT ? nr :
			nr >= RTJS_SYS_BASE && nr < RTJS_SYS_BASE + RTJS_SYS_COUNT ? SYSCALL_SLOT(nr) :
											 SYSCALL_SLOTS;
	return slot < SYSCALL_SLOTS && table[slot].call ? &table[slot] : NULL;
}

long syscall_dispatch(struct syscall_frame *f)
{
	/* Entered with interrupts off (FMASK); a system call may sleep, so let them in. The
	 * kernel stack is this thread's own, and interrupts run on IST stacks. */
	__asm__ volatile("sti");
	uint64_t nr = f->nr;
	const struct syscall *sc = lookup(nr);
	if (sc) {
		/* No lock here: each table the handlers touch has its own (cpu/lock.h). */
		long rc = tracing ? traced_call(sc, f) : sc->call(f);
		lock_may_block("the return to the program"); /* a handler let go of all it took */
		return rc;
	}
	if (nr < LINUX_SYSCALL_LIMIT && !reported[nr]) {
		reported[nr] = 1;
		kprintf("linux: unknown system call %s (%lu): -ENOSYS\n", unknown_name(nr),
			(unsigned long)nr);
	} else if (nr >= LINUX_SYSCALL_LIMIT) {
		kprintf("linux: unknown system call number %lu: -ENOSYS\n", (unsigned long)nr);
	}
	return -ENOSYS;
}

void *user_access(user_ptr p, size_t len, int write)
{
	if (len == 0)
		return (void *)(uintptr_t)p.addr;
	struct mm *mm = current_mm;
	if (!mm)
		return NULL;
	/* Checked, not pinned: an area another thread unmaps before the access makes the
	 * access fault. Through user_copy_in/out that fault answers -EFAULT; a handler that
	 * uses the pointer itself ends the program with that fault's report. */
	read_lock(&mm->lock);
	int ok = vma_check(mm, p.addr, len, write);
	read_unlock(&mm->lock);
	return ok ? (void *)(uintptr_t)p.addr : NULL;
}

int user_copy_in(void *dst, user_ptr src, size_t n)
{
	const void *from = user_access(src, n, 0);
	return from ? user_copy(dst, from, n) : -EFAULT;
}

int user_copy_out(user_ptr dst, const void *src, size_t n)
{
	void *to = user_access(dst, n, 1);
	return to ? user_copy(to, src, n) : -EFAULT;
}

int user_fault_in(user_ptr p, int write)
{
	struct mm *mm = current_mm;
	if (!mm || p.addr >= USER_LIMIT)
		return -EFAULT;
	read_lock(&mm->lock);
	int rc = vma_fault(mm, p.addr, write, 0);
	read_unlock(&mm->lock);
	return rc;
}

int user_string(user_ptr p, char *buf, size_t cap)
{
	for (size_t i = 0; i < cap; i++) {
		/* Check page by page: the string may end just before an unmapped page. */
		if ((i == 0 || ((p.addr + i) & (PAGE_SIZE - 1)) == 0) &&
		    !user_access(user_offset(p, i), 1, 0))
			return -EFAULT;
		if (user_copy(&buf[i], (const char *)(uintptr_t)(p.addr + i), 1) < 0)
			return -EFAULT;
		if (!buf[i])
			return 0;
	}
	return -ENAMETOOLONG;
}
