/* The rtjs-specific system calls (include/rtjs-syscall.h): IRQ lines for JavaScript
 * drivers, an event wait, and DMA memory. */
#include <errno.h>

#include "intr/irq.h"
#include "lib/log.h"
#include "linux/console.h"
#include "linux/syscall.h"
#include "mm/paging.h"
#include "mm/pmm.h"
#include "rtjs-syscall.h"
#include "time/clock.h"

#define IRQ_LINES 24 /* ISA 0-15, then the IOAPIC's inputs up to 23 (82093AA: 24) */
#define ISA_IRQS 16

static struct {
	int attached;
	unsigned gsi;
} lines[IRQ_LINES];
static volatile uint64_t pending; /* set in interrupt context, taken by RTJS_SYS_WAIT */

/* Interrupt context: note it, and keep the line quiet until the driver acknowledges it
 * (a level-triggered line would otherwise fire again at once). */
static int on_irq(struct intr_frame *f, void *ctx)
{
	(void)f;
	unsigned irq = (unsigned)(uintptr_t)ctx;
	irq_mask(lines[irq].gsi);
	__atomic_or_fetch(&pending, 1ull << irq, __ATOMIC_SEQ_CST);
	return INTR_HANDLED;
}

static long irq_attach(unsigned irq)
{
	if (irq >= IRQ_LINES)
		return -EINVAL;
	if (lines[irq].attached)
		return -EBUSY;
	int rc;
	if (irq < ISA_IRQS) {
		int trigger, polarity;
		rc = irq_isa_route(irq, &lines[irq].gsi, &trigger, &polarity);
		if (rc == 0)
			rc = irq_attach_isa(irq, on_irq, (void *)(uintptr_t)irq);
	} else {
		lines[irq].gsi = irq;
		rc = irq_attach_gsi(irq, IRQ_LEVEL, IRQ_ACTIVE_LOW, on_irq, (void *)(uintptr_t)irq);
	}
	if (rc < 0)
		return rc;
	lines[irq].attached = 1;
	return 0;
}

static long irq_detach(unsigned irq)
{
	if (irq >= IRQ_LINES || !lines[irq].attached)
		return -EINVAL;
	irq_detach_gsi(lines[irq].gsi);
	lines[irq].attached = 0;
	__atomic_and_fetch(&pending, ~(1ull << irq), __ATOMIC_SEQ_CST);
	return 0;
}

static long wait_events(uint64_t deadline, uint64_t flags, uint64_t uirqs)
{
	uint64_t *out = user_ptr(uirqs, sizeof(uint64_t), 1);
	if (!out)
		return -EFAULT;
	for (;;) {
		long ready = 0;
		uint64_t fired = __atomic_exchange_n(&pending, 0, __ATOMIC_SEQ_CST);
		if (fired)
			ready |= RTJS_WAIT_IRQ;
		if ((flags & RTJS_WAIT_CONSOLE) && console_pending())
			ready |= RTJS_WAIT_CONSOLE;
		if (ready || clock_monotonic_ns() >= deadline) {
			*out = fired;
			return ready;
		}
		/* Interrupts wake the CPU: an IRQ, the console, or the tick that ends the wait. */
		__asm__ volatile("sti; hlt" ::: "memory");
	}
}

static long dma_alloc(uint64_t len, uint64_t uphys)
{
	uint64_t *phys = user_ptr(uphys, sizeof(uint64_t), 1);
	if (!phys)
		return -EFAULT;
	if (len == 0 || len > (64ull << 20))
		return -EINVAL;
	size_t pages = (len + PAGE_SIZE - 1) / PAGE_SIZE;
	phys_addr_t pa = pmm_alloc_contig(pages, 1, UINT64_MAX);
	if (!pa)
		return -ENOMEM;
	uint8_t *va = phys_to_virt(pa);
	for (size_t i = 0; i < pages * PAGE_SIZE; i++)
		va[i] = 0;
	*phys = pa;
	return (long)(uintptr_t)va;
}

static long dma_free(uint64_t addr, uint64_t len)
{
	if (addr < DIRECT_MAP_BASE || len == 0)
		return -EINVAL;
	pmm_free_contig(virt_to_phys((void *)(uintptr_t)addr), (len + PAGE_SIZE - 1) / PAGE_SIZE);
	return 0;
}

long rtjs_syscall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	switch (nr) {
	case RTJS_SYS_IRQ_ATTACH: return irq_attach((unsigned)a0);
	case RTJS_SYS_IRQ_ACK:
		if (a0 >= IRQ_LINES || !lines[a0].attached)
			return -EINVAL;
		irq_unmask(lines[a0].gsi);
		return 0;
	case RTJS_SYS_IRQ_DETACH: return irq_detach((unsigned)a0);
	case RTJS_SYS_WAIT: return wait_events(a0, a1, a2);
	case RTJS_SYS_DMA_ALLOC: return dma_alloc(a0, a1);
	case RTJS_SYS_DMA_FREE: return dma_free(a0, a1);
	default: return -ENOSYS;
	}
}
