/* Per-CPU data, reached through the GS base (MSR_GS_BASE). The hosted program owns FS;
 * the kernel never executes swapgs, so %gs:0 is this CPU's struct percpu at all times.
 *
 * Fields marked (L) belong to the Linux layer; the kernel only initialises them to 0.
 * The PERCPU_* offsets are for assembly (syscall entry) and are checked against the
 * struct at compile time. */
#ifndef RTJS_PERCPU_H
#define RTJS_PERCPU_H

#define PERCPU_SELF 0
#define PERCPU_CPU_INDEX 8
#define PERCPU_LAPIC_ID 12
#define PERCPU_KERNEL_STACK 16 /* (L) stack top the syscall entry switches to */
#define PERCPU_SCRATCH 24      /* (L) scratch slot, e.g. the caller's RSP at syscall entry */
#define PERCPU_THREAD 32       /* (L) current thread */
#define PERCPU_INTR_RETURN 40  /* frame to resume after the current interrupt, see intr_return_to() */

#ifndef __ASSEMBLER__
#include <stdint.h>

#include "cpu/lock.h"

struct intr_frame;
struct tss;

struct percpu {
	struct percpu *self;
	uint32_t cpu_index;
	uint32_t lapic_id;
	uint64_t kernel_stack;
	uint64_t scratch;
	void *thread;
	struct intr_frame *intr_return;
	uint64_t linux_data[8]; /* (L) free for the Linux layer */
	uint64_t ticks;         /* local APIC timer ticks on this CPU */
	unsigned intr_depth;    /* nesting of interrupt handlers */
	struct tss *tss;
	uint64_t fault_address; /* CR2 of the page fault being handled */
	unsigned in_page_fault; /* nesting of page-fault handling (must stay 0 or 1) */
	/* Locks this CPU holds, oldest first (lock debug mode only, cpu/lock.h). */
	struct lock_held held[LOCK_HELD_MAX];
	unsigned held_count;
	unsigned lock_checking; /* inside a check: the report's own locks are not checked */
};

#define PERCPU_MAX_CPUS 64

static inline struct percpu *this_cpu(void)
{
	struct percpu *p;
	__asm__ volatile("mov %%gs:0, %0" : "=r"(p));
	return p;
}

/* Sets the GS base of the calling CPU to p (p->self must be p). */
void percpu_install(struct percpu *p);
/* The boot CPU's block (valid before the heap exists). */
extern struct percpu percpu_bsp;

#endif
#endif
