#include "linux/syscall.h"

#include <errno.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/gdt.h"
#include "cpu/percpu.h"
#include "lib/log.h"
#include "linux/syscall-names.h"
#include "rtjs-syscall.h"
#include "linux/vma.h"
#include "mm/paging.h"
#include "sched/bkl.h"
#include "sched/sched.h"

#define SYSCALL_STACK_PAGES 16 /* 64 KiB: handlers are shallow; deep work lives elsewhere */
#define SYSCALL_TABLE_SIZE 512
/* RFLAGS bits cleared on entry (SDM vol. 3A, 2.3): IF, DF, TF and AC. */
#define FMASK_BITS ((1u << 9) | (1u << 10) | (1u << 8) | (1u << 18))
/* STAR[47:32]: CS for syscall (SS is CS + 8), the kernel's own selectors. */
#define STAR_SYSCALL_CS_SHIFT 32

extern char syscall_entry[];

typedef long (*syscall_fn)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);

static syscall_fn table[SYSCALL_TABLE_SIZE];
static uint8_t reported[SYSCALL_TABLE_SIZE];

int syscall_init(void)
{
#define X(nr, name) table[nr] = sys_##name;
	LINUX_SYSCALLS(X)
#undef X
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

static const char *syscall_name(uint64_t nr)
{
	const char *name = nr < sizeof(linux_syscall_names) / sizeof(linux_syscall_names[0]) ?
				   linux_syscall_names[nr] : NULL;
	return name ? name : "?";
}

/* One line per call, strace-like: thread, name, arguments, result. */
static long traced_call(syscall_fn fn, const struct syscall_frame *f)
{
	long rc = fn(f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9);
	struct thread *t = sched_running() ? sched_current() : NULL;
	kprintf("[%d] %s(%lx, %lx, %lx, %lx, %lx, %lx) = %ld\n", t ? t->tid : 0, syscall_name(f->nr),
		(unsigned long)f->rdi, (unsigned long)f->rsi, (unsigned long)f->rdx, (unsigned long)f->r10,
		(unsigned long)f->r8, (unsigned long)f->r9, rc);
	return rc;
}

long syscall_dispatch(struct syscall_frame *f)
{
	/* Entered with interrupts off (FMASK); a system call may sleep, so let them in. The
	 * kernel stack is this thread's own, and interrupts run on IST stacks. */
	__asm__ volatile("sti");
	uint64_t nr = f->nr;
	syscall_fn fn = nr < SYSCALL_TABLE_SIZE ? table[nr] : NULL;
	if (fn) {
		/* The layer's tables have no locks of their own (sched/bkl.h). */
		bkl_lock();
		long rc = tracing ? traced_call(fn, f) : fn(f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9);
		bkl_unlock();
		return rc;
	}
	if (nr >= RTJS_SYS_BASE && nr < RTJS_SYS_BASE + RTJS_SYS_COUNT) {
		bkl_lock();
		long rc = rtjs_syscall(nr, f->rdi, f->rsi, f->rdx, f->r10);
		bkl_unlock();
		return rc;
	}
	if (nr < SYSCALL_TABLE_SIZE && !reported[nr]) {
		reported[nr] = 1;
		kprintf("linux: unknown system call %s (%lu): -ENOSYS\n", syscall_name(nr),
			(unsigned long)nr);
	} else if (nr >= SYSCALL_TABLE_SIZE) {
		kprintf("linux: unknown system call number %lu: -ENOSYS\n", (unsigned long)nr);
	}
	return -ENOSYS;
}

void *user_ptr(uint64_t addr, size_t len, int write)
{
	if (len == 0)
		return (void *)(uintptr_t)addr;
	if (!current_mm || !vma_check(current_mm, addr, len, write))
		return NULL;
	return (void *)(uintptr_t)addr;
}

int user_string(uint64_t addr, char *buf, size_t cap)
{
	for (size_t i = 0; i < cap; i++) {
		/* Check page by page: the string may end just before an unmapped page. */
		if ((i == 0 || ((addr + i) & (PAGE_SIZE - 1)) == 0) && !user_ptr(addr + i, 1, 0))
			return -EFAULT;
		buf[i] = *(const char *)(uintptr_t)(addr + i);
		if (!buf[i])
			return 0;
	}
	return -ENAMETOOLONG;
}
