/* Application processor start-up (Intel SDM vol. 3A, 8.4.4; MultiProcessor spec B.4). */
#include <errno.h>
#include <string.h>
#include "acpi/acpi.h"
#include "cpu/cpu.h"
#include "cpu/features.h"
#include "cpu/gdt.h"
#include "cpu/smp.h"
#include "intr/apic.h"
#include "intr/intr.h"
#include "lib/log.h"
#include "mm/heap.h"
#include "mm/paging.h"
#include "time/clock.h"

#define AP_TRAMPOLINE 0x8000 /* must match cpu/ap-boot.S; reserved: pmm never hands out < 1 MiB */
#define SIPI_VECTOR (AP_TRAMPOLINE >> 12)
#define LAPIC_ICR_LOW 0x300
#define LAPIC_ICR_HIGH 0x310
#define ICR_INIT 0x00004500    /* delivery mode INIT, level assert */
#define ICR_STARTUP 0x00004600 /* delivery mode start-up, level assert */
#define ICR_PENDING (1u << 12)
#define INIT_DELAY_US 10000
#define SIPI_DELAY_US 200
#define ONLINE_TIMEOUT_US 2000000 /* TCG is slow to start a CPU */
#define AP_STACK_PAGES 16         /* 64 KiB */
#define VEC_WAKE (VEC_IPI_BASE + 15)

extern const char ap_trampoline_start[], ap_trampoline_end[];
extern const char ap_data_cr3[], ap_data_stack[], ap_data_entry[], ap_data_index[], ap_data_efer[];

struct ap {
	struct percpu cpu;
	struct cpu_tables *tables;
	void (*volatile fn)(void *);
	void *volatile arg;
};

static struct ap *aps[PERCPU_MAX_CPUS];
static volatile unsigned online = 1;
static volatile int ap_started;

void ap_main(unsigned index);

unsigned smp_cpu_count(void) { return online; }

struct percpu *smp_cpu(unsigned index)
{
	if (index == 0)
		return &percpu_bsp;
	return index < online && aps[index] ? &aps[index]->cpu : NULL;
}

static int on_wake(struct intr_frame *f, void *ctx)
{
	(void)f, (void)ctx;
	return INTR_HANDLED;
}

int smp_start_on(unsigned index, void (*fn)(void *arg), void *arg)
{
	if (index == 0 || index >= online || !aps[index])
		return -EINVAL;
	struct ap *ap = aps[index];
	ap->arg = arg;
	void (*expected)(void *) = NULL;
	if (!__atomic_compare_exchange_n(&ap->fn, &expected, fn, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return -EBUSY;
	lapic_send_ipi(ap->cpu.lapic_id, VEC_WAKE);
	return 0;
}

static void ap_idle(struct ap *ap)
{
	for (;;) {
		void (*fn)(void *) = __atomic_load_n(&ap->fn, __ATOMIC_ACQUIRE);
		if (fn) {
			fn(ap->arg);
			__atomic_store_n(&ap->fn, NULL, __ATOMIC_RELEASE);
		}
		irq_disable();
		if (!__atomic_load_n(&ap->fn, __ATOMIC_ACQUIRE))
			cpu_wait_irq(); /* sti; hlt: a wake IPI cannot slip in between */
		irq_enable();
	}
}

/* First C code on an AP: running on the stack the BSP gave it, kernel page tables. */
void ap_main(unsigned index)
{
	struct ap *ap = aps[index];
	gdt_init_cpu(&ap->cpu, ap->tables);
	percpu_install(&ap->cpu);
	idt_load();
	cpu_features_init();
	lapic_init();
	__atomic_store_n(&ap_started, 1, __ATOMIC_RELEASE);
	irq_enable();
	ap_idle(ap);
}

static void send_icr(uint32_t apic_id, uint32_t low)
{
	lapic_write(LAPIC_ICR_HIGH, apic_id << 24);
	lapic_write(LAPIC_ICR_LOW, low);
	while (lapic_read(LAPIC_ICR_LOW) & ICR_PENDING)
		cpu_pause();
}

static void set_data(const char *field, uint64_t v)
{
	uint64_t off = (uint64_t)(field - ap_trampoline_start);
	memcpy((char *)phys_to_virt(AP_TRAMPOLINE) + off, &v, 8);
}

static int start_one(unsigned index, uint32_t apic_id)
{
	struct ap *ap = kzalloc(sizeof *ap);
	void *stack = kmalloc_pages(AP_STACK_PAGES);
	if (!ap || !stack || !(ap->tables = kmalloc_pages(PAGE_ALIGN_UP(sizeof(struct cpu_tables)) / PAGE_SIZE)))
		return -ENOMEM;
	ap->cpu.cpu_index = index;
	ap->cpu.lapic_id = apic_id;
	aps[index] = ap;
	set_data(ap_data_stack, (uint64_t)stack + AP_STACK_PAGES * PAGE_SIZE);
	set_data(ap_data_index, index);
	ap_started = 0;
	send_icr(apic_id, ICR_INIT);
	clock_delay_us(INIT_DELAY_US);
	for (int i = 0; i < 2 && !ap_started; i++) {
		send_icr(apic_id, ICR_STARTUP | SIPI_VECTOR);
		clock_delay_us(SIPI_DELAY_US);
	}
	uint64_t t0 = clock_monotonic_ns();
	while (!__atomic_load_n(&ap_started, __ATOMIC_ACQUIRE))
		if (clock_monotonic_ns() - t0 > ONLINE_TIMEOUT_US * 1000ull)
			return -ETIMEDOUT;
	return 0;
}

static void prepare_trampoline(void)
{
	size_t len = (size_t)(ap_trampoline_end - ap_trampoline_start);
	memcpy(phys_to_virt(AP_TRAMPOLINE), ap_trampoline_start, len);
	set_data(ap_data_cr3, as_root(as_kernel()));
	set_data(ap_data_entry, (uint64_t)ap_main);
	set_data(ap_data_efer, EFER_LME | (cpu_features()->nx ? EFER_NXE : 0));
	/* The AP runs the trampoline with paging on before it reaches the higher half. */
	if (vm_map_page(as_kernel(), AP_TRAMPOLINE, AP_TRAMPOLINE, VM_READ | VM_WRITE | VM_EXEC))
		panic("smp: cannot map the AP trampoline");
}

void smp_init(void)
{
	const struct acpi_info *ai = acpi_get();
	if (ai->cpu_count <= 1)
		return;
	intr_register(VEC_WAKE, on_wake, NULL);
	tlb_init();
	prepare_trampoline();
	uint32_t me = lapic_id();
	for (unsigned i = 0; i < ai->cpu_count && online < PERCPU_MAX_CPUS; i++) {
		uint32_t id = ai->cpus[i].apic_id;
		if (id == me)
			continue;
		int r = start_one(online, id);
		if (r) {
			kprintf("smp: CPU with APIC id %u did not start (error %d); continuing without it\n", id, r);
			aps[online] = NULL;
			continue;
		}
		online++;
	}
	vm_unmap_page(as_kernel(), AP_TRAMPOLINE, NULL);
	kprintf("smp: %u CPUs online\n", online);
}
