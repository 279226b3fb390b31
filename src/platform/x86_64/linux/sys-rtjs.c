/* The rtjs-specific system calls (include/rtjs-syscall.h): IRQ lines for JavaScript
 * drivers, an event wait, and DMA memory. */
#include <errno.h>

#include "cpu/smp.h"
#include "cpu/spinlock.h"
#include "acpi/power.h"
#include "boot/bootinfo.h"
#include "intr/irq.h"
#include "lib/log.h"
#include "linux/console.h"
#include "linux/syscall.h"
#include "mm/paging.h"
#include "mm/pmm.h"
#include "rtjs-syscall.h"
#include "sched/sched.h"
#include "time/clock.h"

static struct {
	int attached;
	unsigned gsi;
} lines[RTJS_IRQ_LINES];
/* Attaching and detaching; the interrupt handler reads a line's gsi, set before it is attached. */
static spinlock_t lines_lock = SPINLOCK_INIT(IRQ_LINES, "interrupt lines");

/* MSI vectors: a device's message can arrive while the driver has not acked the previous
 * one; it is kept (waiting) and delivered at the ack, as an IOAPIC keeps a masked edge. */
#define MSI_ADDRESS_BASE 0xfee00000u /* Intel SDM vol. 3A, 10.11.1 */
#define MSI_APIC_ID_SHIFT 12
static struct {
	int allocated, attached, masked, waiting;
} msis[RTJS_MSI_COUNT];
static spinlock_t msi_lock = SPINLOCK_INIT(DEVICE, "MSI vectors");
static volatile uint64_t pending; /* set in interrupt context, taken by rtjs_wait */

/* Threads sleeping in rtjs_wait, woken by any IRQ (one per engine at most). */
#define WAITERS_MAX 64
#define CONSOLE_POLL_NS 2000000ull /* the UART is polled while console input is wanted */
static spinlock_t waiters_lock = SPINLOCK_INIT(DEVICE, "rtjs_wait waiters");
static struct thread *waiters[WAITERS_MAX];

/* Any context, interrupts included. */
static void wake_waiters(void)
{
	uint64_t fl = spin_lock(&waiters_lock);
	for (unsigned i = 0; i < WAITERS_MAX; i++)
		if (waiters[i])
			sched_wake(waiters[i]);
	spin_unlock(&waiters_lock, fl);
}

/* Registers (t) or unregisters (t NULL, slot from before) a waiter; the slot or -EBUSY. */
static int set_waiter(int slot, struct thread *t)
{
	uint64_t fl = spin_lock(&waiters_lock);
	if (!t) {
		waiters[slot] = NULL;
	} else {
		for (slot = 0; slot < WAITERS_MAX && waiters[slot]; slot++)
			;
		if (slot == WAITERS_MAX)
			slot = -EBUSY;
		else
			waiters[slot] = t;
	}
	spin_unlock(&waiters_lock, fl);
	return slot;
}

/* Interrupt context: note it, and keep the line quiet until the driver acknowledges it
 * (a level-triggered line would otherwise fire again at once). */
static int on_irq(struct intr_frame *f, void *ctx)
{
	(void)f;
	unsigned irq = (unsigned)(uintptr_t)ctx;
	irq_mask(lines[irq].gsi);
	__atomic_or_fetch(&pending, 1ull << irq, __ATOMIC_SEQ_CST);
	wake_waiters();
	return INTR_HANDLED;
}

static void msi_deliver(unsigned n)
{
	__atomic_or_fetch(&pending, 1ull << (RTJS_MSI_FIRST + n), __ATOMIC_SEQ_CST);
	wake_waiters();
}

/* Interrupt context (the CPU the vector is routed to). */
static int on_msi(struct intr_frame *f, void *ctx)
{
	(void)f;
	unsigned n = (unsigned)(uintptr_t)ctx;
	uint64_t fl = spin_lock(&msi_lock);
	int deliver = msis[n].attached && !msis[n].masked;
	if (deliver)
		msis[n].masked = 1;
	else if (msis[n].attached)
		msis[n].waiting = 1;
	spin_unlock(&msi_lock, fl);
	if (deliver)
		msi_deliver(n);
	return INTR_HANDLED;
}

long sys_rtjs_msi_alloc(uint64_t cpu, user_ptr uaddr, user_ptr udata)
{
	struct percpu *c = cpu < UINT32_MAX ? smp_cpu((unsigned)cpu) : NULL;
	if (!user_access(uaddr, sizeof(uint64_t), 1) || !user_access(udata, sizeof(uint32_t), 1))
		return -EFAULT;
	if (!c)
		return -EINVAL;
	/* The slot is claimed and its handler installed under the lock that rtjs_msi_free
	 * takes to give both back: a slot is never seen half allocated or half freed. */
	uint64_t fl = spin_lock(&msi_lock);
	unsigned n = 0;
	while (n < RTJS_MSI_COUNT && msis[n].allocated)
		n++;
	int rc = n < RTJS_MSI_COUNT ? intr_register(VEC_MSI_BASE + n, on_msi, (void *)(uintptr_t)n) : -ENOSPC;
	if (rc == 0) {
		msis[n].allocated = 1;
		msis[n].attached = msis[n].masked = msis[n].waiting = 0;
	}
	spin_unlock(&msi_lock, fl);
	if (rc)
		return rc;
	uint64_t addr = MSI_ADDRESS_BASE | (uint64_t)c->lapic_id << MSI_APIC_ID_SHIFT;
	uint32_t data = VEC_MSI_BASE + n; /* fixed delivery, edge: the other bits are 0 */
	/* A vector the program cannot learn (its memory went away meanwhile) is given back. */
	if (user_copy_out(uaddr, &addr, sizeof(addr)) < 0 || user_copy_out(udata, &data, sizeof(data)) < 0) {
		sys_rtjs_msi_free(RTJS_MSI_FIRST + n);
		return -EFAULT;
	}
	return RTJS_MSI_FIRST + n;
}

long sys_rtjs_msi_free(uint64_t irq)
{
	uint64_t n = irq - RTJS_MSI_FIRST;
	if (irq < RTJS_MSI_FIRST || n >= RTJS_MSI_COUNT)
		return -EINVAL;
	/* Checked and given back in one step: of two CPUs freeing the slot, one finds it free. */
	uint64_t fl = spin_lock(&msi_lock);
	int was = msis[n].allocated;
	if (was) {
		intr_unregister(VEC_MSI_BASE + n);
		msis[n].allocated = msis[n].attached = 0;
		/* Before the slot can be handed out again: the next owner's messages stay. */
		__atomic_and_fetch(&pending, ~(1ull << irq), __ATOMIC_SEQ_CST);
	}
	spin_unlock(&msi_lock, fl);
	return was ? 0 : -EINVAL;
}

enum msi_op { MSI_ATTACH, MSI_ACK, MSI_DETACH };

/* Attaches, acknowledges or detaches the MSI vector numbered irq (RTJS_MSI_FIRST and up). */
static long msi_control(uint64_t irq, enum msi_op op)
{
	uint64_t n = irq - RTJS_MSI_FIRST;
	if (n >= RTJS_MSI_COUNT)
		return -EINVAL;
	uint64_t fl = spin_lock(&msi_lock);
	long rc = 0;
	int deliver = 0;
	if (!msis[n].allocated) { /* checked under the lock: a free on another CPU is ordered */
		rc = -EINVAL;
	} else if (op == MSI_ATTACH) {
		rc = msis[n].attached ? -EBUSY : 0;
		msis[n].attached = 1;
		msis[n].masked = msis[n].waiting = 0;
	} else if (op == MSI_ACK) {
		deliver = msis[n].waiting;
		msis[n].waiting = 0;
		msis[n].masked = deliver;
	} else {
		msis[n].attached = 0;
		/* Under the lock: a message of the next attach must not be taken back. */
		__atomic_and_fetch(&pending, ~(1ull << irq), __ATOMIC_SEQ_CST);
	}
	spin_unlock(&msi_lock, fl);
	if (deliver)
		msi_deliver((unsigned)n);
	return rc;
}

static int attach_locked(unsigned irq)
{
	if (lines[irq].attached)
		return -EBUSY;
	int rc;
	if (irq < RTJS_ISA_IRQS) {
		int trigger, polarity;
		rc = irq_isa_route((unsigned)irq, &lines[irq].gsi, &trigger, &polarity);
		if (rc == 0)
			rc = irq_attach_isa((unsigned)irq, on_irq, (void *)(uintptr_t)irq);
	} else {
		lines[irq].gsi = (unsigned)irq;
		rc = irq_attach_gsi((unsigned)irq, IRQ_LEVEL, IRQ_ACTIVE_LOW, on_irq, (void *)(uintptr_t)irq);
	}
	if (rc < 0)
		return rc;
	lines[irq].attached = 1;
	return 0;
}

long sys_rtjs_irq_attach(uint64_t irq)
{
	if (irq >= RTJS_MSI_FIRST)
		return msi_control(irq, MSI_ATTACH);
	if (irq >= RTJS_IRQ_LINES)
		return -EINVAL;
	uint64_t fl = spin_lock(&lines_lock);
	int rc = attach_locked((unsigned)irq);
	spin_unlock(&lines_lock, fl);
	return rc;
}

long sys_rtjs_irq_ack(uint64_t irq)
{
	if (irq >= RTJS_MSI_FIRST)
		return msi_control(irq, MSI_ACK);
	if (irq >= RTJS_IRQ_LINES)
		return -EINVAL;
	uint64_t fl = spin_lock(&lines_lock);
	int attached = lines[irq].attached;
	if (attached)
		irq_unmask(lines[irq].gsi);
	spin_unlock(&lines_lock, fl);
	return attached ? 0 : -EINVAL;
}

long sys_rtjs_irq_detach(uint64_t irq)
{
	if (irq >= RTJS_MSI_FIRST)
		return msi_control(irq, MSI_DETACH);
	if (irq >= RTJS_IRQ_LINES)
		return -EINVAL;
	uint64_t fl = spin_lock(&lines_lock);
	int attached = lines[irq].attached;
	if (attached) {
		irq_detach_gsi(lines[irq].gsi);
		lines[irq].attached = 0;
		/* Under the lock: an interrupt of the line's next attach must not be taken back. */
		__atomic_and_fetch(&pending, ~(1ull << irq), __ATOMIC_SEQ_CST);
	}
	spin_unlock(&lines_lock, fl);
	return attached ? 0 : -EINVAL;
}

/* What is ready now (RTJS_WAIT_* bits); takes the fired IRQs into *fired. */
static long poll_events(uint64_t flags, const volatile uint32_t *word, uint64_t *fired)
{
	long ready = 0;
	*fired = __atomic_exchange_n(&pending, 0, __ATOMIC_SEQ_CST);
	if (*fired)
		ready |= RTJS_WAIT_IRQ;
	if ((flags & RTJS_WAIT_CONSOLE) && console_pending())
		ready |= RTJS_WAIT_CONSOLE;
	if (word && *word)
		ready |= RTJS_WAIT_WOKEN;
	return ready;
}

/* Sleeps in the scheduler (other threads run) until something in poll_events is ready or
 * the deadline passes. */
long sys_rtjs_wait(uint64_t deadline, uint64_t flags, user_ptr uirqs, user_ptr uword)
{
	const volatile uint32_t *word = uword.addr ? user_access(uword, sizeof(uint32_t), 0) : NULL;
	if (!user_access(uirqs, sizeof(uint64_t), 1) || (uword.addr && !word))
		return -EFAULT;
	if (!sched_running())
		return -ENOSYS;
	int slot = set_waiter(0, sched_current());
	if (slot < 0)
		return slot;
	long ready;
	uint64_t fired;
	for (;;) {
		sched_prepare_block(); /* before looking: a wake-up from here on is kept */
		ready = poll_events(flags, word, &fired);
		uint64_t now = clock_monotonic_ns();
		if (ready || now >= deadline)
			break;
		uint64_t until = deadline;
		if ((flags & RTJS_WAIT_CONSOLE) && deadline - now > CONSOLE_POLL_NS)
			until = now + CONSOLE_POLL_NS;
		if (word)
			futex_wait_prepared(uword.addr, 0, FUTEX_BITSET_ANY, until);
		else
			sched_block(until);
	}
	set_waiter(slot, NULL);
	/* Copied out, not written through the pointer checked before the wait: another thread
	 * may have unmapped it while this one slept. IRQs the program could not be told of stay
	 * pending for its next wait. */
	if (user_copy_out(uirqs, &fired, sizeof(fired)) < 0) {
		__atomic_or_fetch(&pending, fired, __ATOMIC_SEQ_CST);
		return -EFAULT;
	}
	return ready;
}

/* What rtjs_dma_alloc handed out, so that rtjs_dma_free gives back only that: freeing any
 * other range of the direct map would hand the kernel's own memory to the page allocator. */
#define DMA_ALLOCS_MAX 256 /* drivers allocate a few areas per device, at start */
#define DMA_LEN_MAX (64ull << 20)
static struct {
	phys_addr_t phys;
	size_t pages;
} dma_allocs[DMA_ALLOCS_MAX];
static spinlock_t dma_lock = SPINLOCK_INIT(DEVICE, "DMA allocations");

long sys_rtjs_dma_alloc(uint64_t len, user_ptr uphys)
{
	if (!user_access(uphys, sizeof(uint64_t), 1))
		return -EFAULT;
	if (len == 0 || len > DMA_LEN_MAX)
		return -EINVAL;
	size_t pages = (len + PAGE_SIZE - 1) / PAGE_SIZE;
	uint64_t fl = spin_lock(&dma_lock);
	unsigned slot = 0;
	while (slot < DMA_ALLOCS_MAX && dma_allocs[slot].pages)
		slot++;
	phys_addr_t pa = slot < DMA_ALLOCS_MAX ? pmm_alloc_contig(pages, 1, UINT64_MAX) : 0;
	if (pa) {
		dma_allocs[slot].phys = pa;
		dma_allocs[slot].pages = pages;
	}
	spin_unlock(&dma_lock, fl);
	if (!pa)
		return -ENOMEM;
	uint8_t *va = phys_to_virt(pa);
	for (size_t i = 0; i < pages * PAGE_SIZE; i++)
		va[i] = 0;
	uint64_t phys = pa;
	/* An area whose address the program cannot learn is given back. */
	if (user_copy_out(uphys, &phys, sizeof(phys)) < 0) {
		sys_rtjs_dma_free((uint64_t)(uintptr_t)va, len);
		return -EFAULT;
	}
	return (long)(uintptr_t)va;
}

long sys_rtjs_dma_free(uint64_t addr, uint64_t len)
{
	if (addr < DIRECT_MAP_BASE || len == 0 || len > DMA_LEN_MAX)
		return -EINVAL;
	phys_addr_t pa = virt_to_phys((void *)(uintptr_t)addr);
	size_t pages = (len + PAGE_SIZE - 1) / PAGE_SIZE;
	uint64_t fl = spin_lock(&dma_lock);
	unsigned slot = 0;
	while (slot < DMA_ALLOCS_MAX && (dma_allocs[slot].phys != pa || dma_allocs[slot].pages != pages))
		slot++;
	if (slot < DMA_ALLOCS_MAX)
		dma_allocs[slot].pages = 0;
	spin_unlock(&dma_lock, fl);
	if (slot == DMA_ALLOCS_MAX)
		return -EINVAL;
	pmm_free_contig(pa, pages);
	return 0;
}

#define MAP_DEVICE_MAX (256ull << 20) /* larger than any BAR a driver maps at once */

/* RAM stays in the direct map (cached); device registers get an uncached window mapping,
 * as the kernel's own LAPIC and IOAPIC do (Intel SDM vol. 3, 11.3: UC for memory-mapped I/O). */
long sys_rtjs_map_device(uint64_t phys, uint64_t len)
{
	if (len == 0 || len > MAP_DEVICE_MAX || phys + len < phys)
		return -EINVAL;
	int direct = 1;
	for (uint64_t p = phys & ~(uint64_t)(PAGE_SIZE - 1); p < phys + len && direct; p += PAGE_SIZE)
		direct = vm_is_mapped((uint64_t)phys_to_virt(p));
	if (direct)
		return (long)(uintptr_t)phys_to_virt(phys);
	void *va = vm_map_device(phys, len);
	return va ? (long)(uintptr_t)va : -ENOMEM;
}

long sys_rtjs_framebuffer(user_ptr uout)
{
	if (!user_access(uout, sizeof(struct rtjs_framebuffer), 1))
		return -EFAULT;
	const struct boot_framebuffer *fb = &boot_info.fb;
	if (!fb->addr)
		return -ENODEV;
	struct rtjs_framebuffer out = {
		.phys = fb->addr, .pitch = fb->pitch, .width = fb->width, .height = fb->height, .bpp = fb->bpp,
		.red_shift = fb->red_shift, .red_bits = fb->red_bits, .green_shift = fb->green_shift,
		.green_bits = fb->green_bits, .blue_shift = fb->blue_shift, .blue_bits = fb->blue_bits,
	};
	return user_copy_out(uout, &out, sizeof(out));
}

long sys_rtjs_power(uint64_t how, uint64_t status)
{
	if (how == RTJS_POWER_REBOOT)
		power_reboot();
	if (how == RTJS_POWER_OFF)
		power_off((int)status);
	return -EINVAL;
}
