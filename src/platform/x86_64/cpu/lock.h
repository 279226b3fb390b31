/* The kernel's lock order and its debug mode.
 *
 * Every lock has a rank, and a CPU takes locks in increasing rank: a lock of rank r is
 * never taken while one of rank >= r is held (the same lock twice included), so no cycle
 * of waiters can form. Interrupt handlers and the page-fault handler count as follows:
 * an interrupt starts a fresh chain (it cannot wait for what its own CPU holds, since
 * spinlocks keep interrupts off while held, and RW_LOCKs are never taken in interrupts);
 * a page fault continues the chain of the code that faulted (a system call touching the
 * program's memory takes the memory areas' lock under whatever it holds).
 *
 * Two kinds of locks (cpu/spinlock.h, cpu/rwlock.h): spinlocks disable interrupts while
 * held; RW locks spin and are held with interrupts on, so that a holder's TLB shootdown
 * IPI reaches CPUs waiting for them, and may be held across page faults of the program's
 * memory. Neither may be held across a block (sched_block): the thread could resume on
 * another CPU, and a CPU spinning for it would wait for a thread that is not running.
 *
 * Debug mode (kernel command line `lockdebug`) checks all of this as it happens and
 * panics with both locks' names at the first violation: a lock taken out of rank order,
 * an RW lock taken in an interrupt handler or with interrupts off, any lock held across
 * a block, an interrupts-off spinlock held across a page fault. Off, the checks cost one
 * load and branch per acquisition. */
#ifndef RTJS_LOCK_H
#define RTJS_LOCK_H

#include <stdint.h>

/* The order, lowest first. */
enum lock_rank {
	LOCK_RANK_NONE = 0,       /* not checked */
	LOCK_RANK_CONSOLE = 10,   /* RW: the console's input ring and output (linux/console.c) */
	LOCK_RANK_FILES = 20,     /* the file-descriptor table (linux/fd.c) */
	LOCK_RANK_MM = 30,        /* RW: the program's memory areas (linux/vma.h) */
	LOCK_RANK_MM_FAULT = 31,  /* RW, for writing: a fault installing a page, unparking one */
	LOCK_RANK_IRQ_LINES = 40, /* the program's interrupt lines (linux/sys-rtjs.c) */
	LOCK_RANK_DEVICE = 45,    /* MSI vectors, DMA allocations, rtjs_wait's waiters */
	LOCK_RANK_FUTEX = 50,     /* a futex bucket (sched/futex.c) */
	LOCK_RANK_FUTEX2 = 51,    /* the second bucket of a requeue, taken after the first */
	LOCK_RANK_THREADS = 55,   /* the live and dead threads (sched/thread.c) */
	LOCK_RANK_SCHED = 60,     /* a CPU's run queue (sched/thread.c); another's only tried */
	LOCK_RANK_IOAPIC = 70,
	LOCK_RANK_RANDOM = 70,
	LOCK_RANK_PAGING = 80,    /* an address space's page tables (mm/paging.c) */
	LOCK_RANK_WINDOW = 81,    /* the kernel's device window (mm/paging.c) */
	LOCK_RANK_HEAP = 85,
	LOCK_RANK_PMM = 90,
	LOCK_RANK_LOG = 100,      /* kprintf: anywhere */
};

#define LOCK_KIND_SPIN 0 /* interrupts off while held */
#define LOCK_KIND_RW 1   /* interrupts on while held */

#define LOCK_HELD_MAX 16 /* nesting deeper than this is a bug in itself */

struct lock_held {
	const void *lock;
	const char *name;
	void *ip; /* where it was taken */
	uint16_t rank;
	uint8_t kind;
	uint8_t context; /* interrupt nesting (page faults excluded) at acquisition */
};

extern int lock_debug_on;

/* The checks (cpu/lock-debug.c), called only when lock_debug_on: acquire before waiting
 * for the lock (a deadlock is reported instead of hanging), release after letting go. */
void lock_debug_acquire(const void *lock, const char *name, unsigned rank, unsigned kind, void *ip);
void lock_debug_release(const void *lock);
/* Panics if the current context holds a lock; `what` names the blocking operation. */
void lock_debug_may_block(const char *what);
/* Panics if the current context holds an interrupts-off spinlock (a page fault is next). */
void lock_debug_may_fault(void);

/* Turns the checks on (the kernel command line's `lockdebug`, read at boot). */
void lock_debug_enable(void);

static inline void lock_may_block(const char *what)
{
	if (__builtin_expect(lock_debug_on, 0))
		lock_debug_may_block(what);
}

#endif
