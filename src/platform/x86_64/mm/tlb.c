/* TLB shootdown between CPUs by IPI (Intel SDM vol. 3A, 4.10.5: other processors keep
 * stale translations until they invalidate them themselves). One request at a time. */
#include "cpu/cpu.h"
#include "cpu/smp.h"
#include "intr/apic.h"
#include "intr/intr.h"
#include "lib/log.h"
#include "mm/paging.h"

#define VEC_TLB_SHOOTDOWN (VEC_IPI_BASE + 14)
#define FLUSH_ALL_PAGES 64 /* above this, reload CR3 rather than invlpg page by page */

static struct {
	struct addr_space *as;
	uint64_t va;
	size_t pages;
	volatile unsigned pending;
} req;
static volatile int busy;

/* Global (kernel) entries survive a CR3 reload; toggling CR4.PGE drops them too. */
static void flush_everything(void)
{
	uint64_t cr4 = read_cr4();
	if (cr4 & CR4_PGE) {
		write_cr4(cr4 & ~CR4_PGE);
		write_cr4(cr4);
	} else {
		tlb_flush_all();
	}
}

static void flush_local(struct addr_space *as, uint64_t va, size_t pages)
{
	int kernel_half = va >= USER_TOP;
	if (!kernel_half && as != as_current())
		return;
	if (pages > FLUSH_ALL_PAGES) {
		if (kernel_half)
			flush_everything();
		else
			tlb_flush_all();
		return;
	}
	for (size_t i = 0; i < pages; i++)
		invlpg(va + i * PAGE_SIZE);
}

static int on_shootdown(struct intr_frame *f, void *ctx)
{
	(void)f, (void)ctx;
	flush_local(req.as, req.va, req.pages);
	__atomic_sub_fetch(&req.pending, 1, __ATOMIC_RELEASE);
	return INTR_HANDLED;
}

void tlb_shootdown(struct addr_space *as, uint64_t va, size_t pages)
{
	unsigned others = smp_cpu_count() - 1;
	if (others == 0) {
		flush_local(as, va, pages);
		return;
	}
	uint64_t flags = irq_save();
	irq_restore(flags);
	if (!(flags & RFLAGS_IF))
		panic("tlb_shootdown called with interrupts disabled (it would deadlock)");
	/* Spin with interrupts on, so that this CPU still answers another CPU's request. */
	while (__atomic_exchange_n(&busy, 1, __ATOMIC_ACQUIRE))
		cpu_pause();
	req.as = as;
	req.va = va;
	req.pages = pages;
	__atomic_store_n(&req.pending, others, __ATOMIC_RELEASE);
	lapic_send_ipi_others(VEC_TLB_SHOOTDOWN);
	flush_local(as, va, pages);
	while (__atomic_load_n(&req.pending, __ATOMIC_ACQUIRE))
		cpu_pause();
	__atomic_store_n(&busy, 0, __ATOMIC_RELEASE);
}

void tlb_init(void)
{
	if (intr_register(VEC_TLB_SHOOTDOWN, on_shootdown, NULL))
		panic("tlb: shootdown vector %u taken", VEC_TLB_SHOOTDOWN);
}
