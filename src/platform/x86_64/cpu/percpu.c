#include "cpu/percpu.h"
#include <stddef.h>
#include "cpu/cpu.h"

_Static_assert(offsetof(struct percpu, self) == PERCPU_SELF, "percpu layout");
_Static_assert(offsetof(struct percpu, cpu_index) == PERCPU_CPU_INDEX, "percpu layout");
_Static_assert(offsetof(struct percpu, lapic_id) == PERCPU_LAPIC_ID, "percpu layout");
_Static_assert(offsetof(struct percpu, kernel_stack) == PERCPU_KERNEL_STACK, "percpu layout");
_Static_assert(offsetof(struct percpu, scratch) == PERCPU_SCRATCH, "percpu layout");
_Static_assert(offsetof(struct percpu, thread) == PERCPU_THREAD, "percpu layout");
_Static_assert(offsetof(struct percpu, intr_return) == PERCPU_INTR_RETURN, "percpu layout");

struct percpu percpu_bsp;

void percpu_install(struct percpu *p)
{
	p->self = p;
	wrmsr(MSR_GS_BASE, (uint64_t)p);
	/* Nothing swaps GS, but keep the inactive base equal in case something does. */
	wrmsr(MSR_KERNEL_GS_BASE, (uint64_t)p);
}
