/* Kernel self-tests run under QEMU (see selftest.h). */
#include <string.h>
#include "acpi/power.h"
#include "cpu/cpu.h"
#include "cpu/features.h"
#include "cpu/lock.h"
#include "cpu/rwlock.h"
#include "cpu/spinlock.h"
#include "cpu/percpu.h"
#include "cpu/smp.h"
#include "intr/irq.h"
#include "lib/cmdline.h"
#include "lib/log.h"
#include "mm/heap.h"
#include "mm/paging.h"
#include "selftest.h"
#include "time/clock.h"
#include "time/timer.h"

#define TIMER_TEST_HZ 100
#define TIMER_TEST_MS 500
#define TOLERANCE_PERCENT 20
#define PIT_CH0_DATA 0x40
#define PIT_CMD 0x43
#define PIT_CMD_CH0_RATE 0x34 /* channel 0, lobyte/hibyte, mode 2 (rate generator) */
#define PIT_HZ 1193182u
#define PIT_ISA_IRQ 0
#define IRQ_TEST_HZ 100
#define IRQ_TEST_MS 300
#define PAGEFAULT_ADDRESS UINT64_C(0xdeadb000)
#define TEST_VA UINT64_C(0x400000)

static void fail(const char *name, const char *why)
{
	kprintf("selftest %s: FAIL: %s\n", name, why);
	power_off(POWER_STATUS_TEST_FAILED);
}

static void pass(const char *name)
{
	kprintf("selftest %s: PASS\n", name);
}

/* Under TCG on a busy host a vCPU can be descheduled and periodic interrupts coalesce,
 * so counts may fall short (down to LOSS_PERCENT) but never run over by more than
 * TOLERANCE_PERCENT: a calibration error shows up either way. */
#define LOSS_PERCENT 50

static int within(uint64_t got, uint64_t want)
{
	return got * 100 >= want * LOSS_PERCENT && got * 100 <= want * (100 + TOLERANCE_PERCENT);
}

static void test_heap(void)
{
	static const size_t sizes[] = { 1, 16, 17, 100, 2000, 2032, 2033, 4096, 5000, 70000 };
	void *p[sizeof sizes / sizeof sizes[0]];
	size_t before = pmm_free_count();
	for (int round = 0; round < 2; round++) {
		for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
			p[i] = kmalloc(sizes[i]);
			if (!p[i] || ((uint64_t)p[i] & 15))
				fail("heap", "kmalloc returned NULL or a misaligned block");
			memset(p[i], (int)i, sizes[i]);
		}
		for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
			const uint8_t *b = p[i];
			if (b[0] != i || b[sizes[i] - 1] != i)
				fail("heap", "blocks overlap");
			kfree(p[i]);
		}
	}
	/* Small-class pages stay in the heap; large blocks must be back. */
	if (before - pmm_free_count() > 8)
		fail("heap", "large allocations were not returned to the page allocator");
	uint64_t r[2] = { 0, 0 };
	if (cpu_random(r, sizeof r) == 0 && r[0] == r[1])
		fail("heap", "cpu_random returned the same 64 bits twice");
	pass("heap");
}

static void test_vm(void)
{
	struct addr_space *as = as_create();
	phys_addr_t pa = pmm_alloc_zeroed_page(), got;
	unsigned flags;
	if (!as || !pa)
		fail("vm", "out of memory");
	if (vm_map_page(as, TEST_VA, pa, VM_READ | VM_WRITE))
		fail("vm", "vm_map_page failed");
	as_switch(as);
	*(volatile uint64_t *)TEST_VA = 0x1234abcd;
	if (*(volatile uint64_t *)phys_to_virt(pa) != 0x1234abcd)
		fail("vm", "write through the new mapping not seen in the direct map");
	if (vm_protect_page(as, TEST_VA, VM_READ) || vm_query(as, TEST_VA + 8, &got, &flags) ||
	    got != pa + 8 || (flags & (VM_WRITE | VM_EXEC)))
		fail("vm", "vm_protect_page/vm_query disagree");
	if (vm_unmap_page(as, TEST_VA, &got) || got != pa || vm_is_mapped(TEST_VA))
		fail("vm", "vm_unmap_page did not remove the page");
	as_switch(as_kernel());
	as_destroy(as);
	pmm_free_page(pa);
	uint64_t top = vm_alloc_stack(4);
	if (!top || !vm_is_mapped(top - 8) || !vm_is_mapped(top - 4 * PAGE_SIZE) ||
	    vm_is_mapped(top - 5 * PAGE_SIZE))
		fail("vm", "kernel stack not mapped as 4 pages above an unmapped guard page");
	*(volatile uint64_t *)(top - 8) = 1;
	*(volatile uint64_t *)(top - 4 * PAGE_SIZE) = 1;
	vm_free_stack(top, 4);
	if (vm_is_mapped(top - 8))
		fail("vm", "vm_free_stack left the stack mapped");
	pass("vm");
}

/* Counts local APIC timer ticks over a TSC-measured interval. */
static void test_timer(void)
{
	if (timer_start(TIMER_TEST_HZ))
		fail("timer", "timer_start failed");
	uint64_t t0 = clock_monotonic_ns(), start = timer_ticks();
	while (clock_monotonic_ns() - t0 < TIMER_TEST_MS * (uint64_t)NS_PER_MS)
		cpu_wait_irq();
	uint64_t ticks = timer_ticks() - start, ms = (clock_monotonic_ns() - t0) / 1000000;
	timer_stop();
	uint64_t want = ms * TIMER_TEST_HZ / 1000;
	kprintf("timer: %lu ticks in %lu ms at %u Hz (expected %lu)\n", ticks, ms, TIMER_TEST_HZ, want);
	if (!within(ticks, want))
		fail("timer", "tick count outside [50%, 120%] of the expected rate");
	pass("timer");
}

static volatile uint64_t pit_irqs;

static int on_pit(struct intr_frame *f, void *ctx)
{
	(void)f, (void)ctx;
	pit_irqs++;
	return INTR_HANDLED;
}

/* PIT channel 0 through the IOAPIC (ISA IRQ 0, GSI 2 after QEMU's override). */
static void test_irq(void)
{
	unsigned gsi;
	int trig, pol;
	irq_isa_route(PIT_ISA_IRQ, &gsi, &trig, &pol);
	if (irq_attach_isa(PIT_ISA_IRQ, on_pit, NULL) < 0)
		fail("irq", "cannot attach ISA IRQ 0");
	uint16_t div = (uint16_t)(PIT_HZ / IRQ_TEST_HZ);
	outb(PIT_CMD, PIT_CMD_CH0_RATE);
	outb(PIT_CH0_DATA, div & 0xff);
	outb(PIT_CH0_DATA, div >> 8);
	uint64_t t0 = clock_monotonic_ns();
	while (clock_monotonic_ns() - t0 < IRQ_TEST_MS * (uint64_t)NS_PER_MS)
		cpu_wait_irq();
	irq_detach_gsi(gsi);
	uint64_t ms = (clock_monotonic_ns() - t0) / 1000000, want = ms * IRQ_TEST_HZ / 1000;
	kprintf("irq: ISA IRQ 0 -> GSI %u: %lu interrupts in %lu ms (expected %lu)\n", gsi, pit_irqs, ms, want);
	/* This checks the routing; QEMU's PIT catches up late periods in bursts under host
	 * load, so the count is only required to be plausible. */
	if (pit_irqs * 2 < want || pit_irqs > want * 2)
		fail("irq", "PIT interrupt count outside [50%, 200%] of the programmed rate");
	pass("irq");
}

#define SIMD_HZ 1000
#define SIMD_WAITS 100 /* interrupts taken while the vector registers hold the pattern */
#define SIMD_BYTES (16 * 32)

/* Kernel work inside the interrupts: the heap, memcpy, formatting, the log. */
static void simd_tick(struct intr_frame *f, void *ctx)
{
	(void)f, (void)ctx;
	char *p = kmalloc(300);
	if (p) {
		memset(p, 0x5a, 300);
		memcpy(p + 100, p, 100);
		kfree(p);
	}
	if (timer_ticks() % 50 == 0)
		kprintf("simd: tick %lu\n", timer_ticks());
}

/* Loads ymm0-15, sleeps through SIMD_WAITS interrupts, stores them back; all in one asm
 * block so that no compiled code sits between. */
static void simd_hold(const uint8_t *in, uint8_t *out)
{
	__asm__ volatile(
		"vmovdqu 0(%0), %%ymm0\n\tvmovdqu 32(%0), %%ymm1\n\tvmovdqu 64(%0), %%ymm2\n\t"
		"vmovdqu 96(%0), %%ymm3\n\tvmovdqu 128(%0), %%ymm4\n\tvmovdqu 160(%0), %%ymm5\n\t"
		"vmovdqu 192(%0), %%ymm6\n\tvmovdqu 224(%0), %%ymm7\n\tvmovdqu 256(%0), %%ymm8\n\t"
		"vmovdqu 288(%0), %%ymm9\n\tvmovdqu 320(%0), %%ymm10\n\tvmovdqu 352(%0), %%ymm11\n\t"
		"vmovdqu 384(%0), %%ymm12\n\tvmovdqu 416(%0), %%ymm13\n\tvmovdqu 448(%0), %%ymm14\n\t"
		"vmovdqu 480(%0), %%ymm15\n\t"
		"1: sti\n\thlt\n\tcli\n\tdec %2\n\tjnz 1b\n\tsti\n\t"
		"vmovdqu %%ymm0, 0(%1)\n\tvmovdqu %%ymm1, 32(%1)\n\tvmovdqu %%ymm2, 64(%1)\n\t"
		"vmovdqu %%ymm3, 96(%1)\n\tvmovdqu %%ymm4, 128(%1)\n\tvmovdqu %%ymm5, 160(%1)\n\t"
		"vmovdqu %%ymm6, 192(%1)\n\tvmovdqu %%ymm7, 224(%1)\n\tvmovdqu %%ymm8, 256(%1)\n\t"
		"vmovdqu %%ymm9, 288(%1)\n\tvmovdqu %%ymm10, 320(%1)\n\tvmovdqu %%ymm11, 352(%1)\n\t"
		"vmovdqu %%ymm12, 384(%1)\n\tvmovdqu %%ymm13, 416(%1)\n\tvmovdqu %%ymm14, 448(%1)\n\t"
		"vmovdqu %%ymm15, 480(%1)"
		: : "r"(in), "r"(out), "r"((uint64_t)SIMD_WAITS) : "memory", "cc");
}

/* Save, clobber, restore: ymm registers come back (a context switch's job). */
static void test_vector_save(void)
{
	static uint8_t in[32], out[32];
	void *area = kmalloc_pages(PAGE_ALIGN_UP(cpu_features()->xsave_size) / PAGE_SIZE);
	for (unsigned i = 0; i < sizeof in; i++)
		in[i] = (uint8_t)(0xa0 + i);
	__asm__ volatile("vmovdqu (%0), %%ymm7" : : "r"(in) : "memory");
	cpu_vector_save(area);
	__asm__ volatile("vpxor %%ymm7, %%ymm7, %%ymm7" : : : "memory");
	cpu_vector_restore(area);
	__asm__ volatile("vmovdqu %%ymm7, (%0)" : : "r"(out) : "memory");
	if (memcmp(in, out, sizeof in))
		fail("simd", "ymm7 not restored by cpu_vector_restore");
	cpu_vector_init_area(area);
	cpu_vector_restore(area);
	__asm__ volatile("vmovdqu %%ymm7, (%0)" : : "r"(out) : "memory");
	for (unsigned i = 0; i < sizeof out; i++)
		if (out[i])
			fail("simd", "a fresh vector state does not zero ymm7");
	kfree(area);
	kprintf("simd: XSAVE area of %u bytes saves and restores ymm state\n", cpu_features()->xsave_size);
}

/* The hosted program's vector registers survive interrupts (the kernel never uses them). */
static void test_simd(void)
{
	static uint8_t in[SIMD_BYTES], out[SIMD_BYTES];
	if (!cpu_features()->avx || !(cpu_features()->xcr0 & 4))
		fail("simd", "AVX is not enabled (CR4.OSXSAVE/XCR0)");
	for (unsigned i = 0; i < SIMD_BYTES; i++)
		in[i] = (uint8_t)(i * 7 + 3);
	timer_set_tick(simd_tick, NULL);
	timer_start(SIMD_HZ);
	simd_hold(in, out);
	timer_stop();
	timer_set_tick(NULL, NULL);
	if (memcmp(in, out, SIMD_BYTES))
		fail("simd", "ymm registers changed across interrupts");
	kprintf("simd: ymm0-15 intact across %u interrupts\n", SIMD_WAITS);
	test_vector_save();
	pass("simd");
}

#define SMP_TICK_MS 200
/* Only a hang guard: under TCG on a busy host an AP's thread can wait seconds for a host core. */
#define SMP_AP_GUARD_NS UINT64_C(20000000000)

static volatile unsigned smp_seen[PERCPU_MAX_CPUS];
static volatile uint64_t smp_ticks[PERCPU_MAX_CPUS];

/* On an AP: its own per-CPU block, its own local APIC timer ticking into its IST. */
static void smp_probe(void *arg)
{
	unsigned want = (unsigned)(uintptr_t)arg, me = this_cpu()->cpu_index;
	timer_start(TIMER_TEST_HZ);
	uint64_t t0 = clock_monotonic_ns();
	while (clock_monotonic_ns() - t0 < SMP_TICK_MS * (uint64_t)NS_PER_MS)
		cpu_wait_irq();
	timer_stop();
	smp_ticks[me] = timer_ticks();
	__atomic_store_n(&smp_seen[want], me + 1, __ATOMIC_RELEASE);
}

static volatile uint64_t *tlb_va;
static volatile int tlb_step;
static volatile uint64_t tlb_seen[2];

/* On CPU 1: read a mapping (now cached in its TLB), wait for the remap, read again. */
static void tlb_reader(void *arg)
{
	(void)arg;
	tlb_seen[0] = *tlb_va;
	__atomic_store_n(&tlb_step, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&tlb_step, __ATOMIC_ACQUIRE) != 2)
		cpu_pause();
	tlb_seen[1] = *tlb_va;
	__atomic_store_n(&tlb_step, 3, __ATOMIC_RELEASE);
}

/* A kernel page remapped on CPU 0 is seen remapped on CPU 1 after tlb_shootdown. */
static void test_tlb_shootdown(void)
{
	phys_addr_t a = pmm_alloc_page(), b = pmm_alloc_page();
	*(uint64_t *)phys_to_virt(a) = 1;
	*(uint64_t *)phys_to_virt(b) = 2;
	tlb_va = vm_map_phys(a, 8, VM_READ | VM_WRITE);
	if (smp_start_on(1, tlb_reader, NULL))
		fail("smp", "CPU 1 is not idle");
	while (__atomic_load_n(&tlb_step, __ATOMIC_ACQUIRE) != 1)
		cpu_pause();
	vm_map_page(as_kernel(), (uint64_t)tlb_va, b, VM_READ | VM_WRITE | VM_GLOBAL);
	tlb_shootdown(as_kernel(), (uint64_t)tlb_va, 1);
	__atomic_store_n(&tlb_step, 2, __ATOMIC_RELEASE);
	while (__atomic_load_n(&tlb_step, __ATOMIC_ACQUIRE) != 3)
		cpu_pause();
	kprintf("tlb: CPU 1 read %lu before and %lu after the remap\n", tlb_seen[0], tlb_seen[1]);
	if (tlb_seen[0] != 1 || tlb_seen[1] != 2)
		fail("smp", "CPU 1 still used the old translation after tlb_shootdown");
}

static void test_smp(void)
{
	unsigned n = smp_cpu_count();
	for (unsigned i = 1; i < n; i++)
		if (smp_start_on(i, smp_probe, (void *)(uintptr_t)i))
			fail("smp", "smp_start_on refused an idle CPU");
	uint64_t t0 = clock_monotonic_ns();
	for (unsigned i = 1; i < n; i++) {
		while (!__atomic_load_n(&smp_seen[i], __ATOMIC_ACQUIRE))
			if (clock_monotonic_ns() - t0 > SMP_AP_GUARD_NS)
				fail("smp", "an AP did not run its function");
		if (smp_seen[i] != i + 1)
			fail("smp", "function ran on the wrong CPU");
		kprintf("smp: CPU %u ran its function, %lu timer ticks in %u ms\n", i, smp_ticks[i], SMP_TICK_MS);
		/* A vCPU the host does not run loses periodic ticks (QEMU does not replay them), so
		 * only ticking at all and never faster than calibrated are the AP's to answer for. */
		if (smp_ticks[i] == 0 ||
		    smp_ticks[i] * 100 > SMP_TICK_MS * TIMER_TEST_HZ / 1000 * (100 + TOLERANCE_PERCENT))
			fail("smp", "AP timer did not tick, or ticked faster than calibrated");
	}
	if (n > 1)
		test_tlb_shootdown();
	pass("smp");
}

static void __attribute__((noinline)) selftest_pagefault(void)
{
	kprintf("selftest pagefault: reading %lx\n", PAGEFAULT_ADDRESS);
	(void)*(volatile uint64_t *)PAGEFAULT_ADDRESS;
	fail("pagefault", "no fault");
}

static void __attribute__((noinline)) selftest_divzero(void)
{
	uint64_t lo = 1, hi = 0, zero = 0;
	/* GCC folds 1/x into a compare, so divide explicitly. */
	__asm__ volatile("divq %2" : "+a"(lo), "+d"(hi) : "r"(zero));
	kprintf("selftest divzero: %lu\n", lo);
	fail("divzero", "no fault");
}

/* With `lockdebug`: locks taken in rank order pass, one taken against it panics (the test
 * expects the panic naming both). */
static void __attribute__((noinline)) selftest_lockorder(void)
{
	static struct rwlock outer = RWLOCK_INIT(MM, "selftest areas");
	static spinlock_t inner = SPINLOCK_INIT(SCHED, "selftest scheduler");
	write_lock(&outer);
	uint64_t fl = spin_lock(&inner);
	spin_unlock(&inner, fl);
	write_unlock(&outer);
	kprintf("selftest lockorder: in order: no report\n");
	fl = spin_lock(&inner);
	irq_enable(); /* so that only the order is wrong */
	write_lock(&outer);
	fail("lockorder", lock_debug_on ? "no report" : "needs lockdebug on the command line");
}

void selftest_run(const char *cmdline)
{
	char name[32];
	if (cmdline_get(cmdline, "selftest", name, sizeof name) < 0)
		return;
	int all = !strcmp(name, "all");
	if (all || !strcmp(name, "heap"))
		test_heap();
	if (all || !strcmp(name, "vm"))
		test_vm();
	if (all || !strcmp(name, "timer"))
		test_timer();
	if (all || !strcmp(name, "irq"))
		test_irq();
	if (all || !strcmp(name, "smp"))
		test_smp();
	if (all || !strcmp(name, "simd"))
		test_simd();
	if (!strcmp(name, "pagefault"))
		selftest_pagefault();
	if (!strcmp(name, "divzero"))
		selftest_divzero();
	if (!strcmp(name, "panic"))
		panic("selftest panic requested");
	if (!strcmp(name, "lockorder"))
		selftest_lockorder();
}
