/* The lock order's checks (contract in cpu/lock.h). Each CPU keeps the locks it holds in
 * its struct percpu: a spinlock cannot move to another CPU while held (interrupts are
 * off), and neither can an RW lock (kernel code is not preempted, and blocking with one
 * held is itself reported). */
#include "cpu/lock.h"

#include "cpu/cpu.h"
#include "cpu/percpu.h"
#include "lib/log.h"

int lock_debug_on;

void lock_debug_enable(void)
{
	lock_debug_on = 1;
	kprintf("lock: debug mode on (lock order, locks held across a block or a page fault)\n");
}

/* Interrupt nesting, a page fault counting as the code that faulted. */
static unsigned context_of(const struct percpu *p)
{
	return p->intr_depth - p->in_page_fault;
}

static int interrupts_on(void)
{
	uint64_t f;
	__asm__ volatile("pushfq; pop %0" : "=r"(f));
	return (f & RFLAGS_IF) != 0;
}

static const char *kind_name(unsigned kind)
{
	return kind == LOCK_KIND_RW ? "RW lock" : "spinlock";
}

void lock_debug_acquire(const void *lock, const char *name, unsigned rank, unsigned kind, void *ip)
{
	struct percpu *p = this_cpu();
	if (p->lock_checking)
		return;
	p->lock_checking = 1;
	unsigned ctx = context_of(p);
	if (kind == LOCK_KIND_RW && ctx)
		panic("lock: RW lock %s taken in an interrupt handler (at %p, CPU %u)", name, ip, p->cpu_index);
	if (kind == LOCK_KIND_RW && !interrupts_on())
		panic("lock: RW lock %s taken with interrupts off (at %p, CPU %u): a TLB shootdown "
		      "from its holder would never be answered", name, ip, p->cpu_index);
	if (rank != LOCK_RANK_NONE) {
		for (unsigned i = p->held_count; i-- > 0;) {
			const struct lock_held *h = &p->held[i];
			if (h->context != ctx || h->rank == LOCK_RANK_NONE)
				continue;
			if (h->rank >= rank)
				panic("lock: order: %s %s (rank %u) taken at %p while holding %s %s (rank %u, "
				      "taken at %p) on CPU %u", kind_name(kind), name, rank, ip, kind_name(h->kind),
				      h->name, (unsigned)h->rank, h->ip, p->cpu_index);
		}
	}
	if (p->held_count == LOCK_HELD_MAX)
		panic("lock: CPU %u holds %u locks taking %s at %p", p->cpu_index, p->held_count, name, ip);
	p->held[p->held_count++] = (struct lock_held){ lock, name, ip, (uint16_t)rank, (uint8_t)kind, (uint8_t)ctx };
	p->lock_checking = 0;
}

void lock_debug_release(const void *lock)
{
	struct percpu *p = this_cpu();
	if (p->lock_checking)
		return;
	/* Newest first: locks are mostly let go in reverse order, but not always. */
	for (unsigned i = p->held_count; i-- > 0;) {
		if (p->held[i].lock != lock)
			continue;
		for (unsigned j = i + 1; j < p->held_count; j++)
			p->held[j - 1] = p->held[j];
		p->held_count--;
		return;
	}
	p->lock_checking = 1;
	panic("lock: %p released on CPU %u, which does not hold it", lock, p->cpu_index);
}

void lock_debug_may_block(const char *what)
{
	struct percpu *p = this_cpu();
	unsigned ctx = context_of(p);
	for (unsigned i = 0; i < p->held_count; i++) {
		const struct lock_held *h = &p->held[i];
		if (h->context == ctx) {
			p->lock_checking = 1;
			panic("lock: %s %s (rank %u, taken at %p) held across %s on CPU %u", kind_name(h->kind),
			      h->name, (unsigned)h->rank, h->ip, what, p->cpu_index);
		}
	}
}

void lock_debug_may_fault(void)
{
	struct percpu *p = this_cpu();
	unsigned ctx = context_of(p);
	for (unsigned i = 0; i < p->held_count; i++) {
		const struct lock_held *h = &p->held[i];
		if (h->context == ctx && h->kind == LOCK_KIND_SPIN) {
			p->lock_checking = 1;
			panic("lock: spinlock %s (rank %u, taken at %p) held across a page fault on CPU %u",
			      h->name, (unsigned)h->rank, h->ip, p->cpu_index);
		}
	}
}
