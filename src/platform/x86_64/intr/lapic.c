/* Local APIC in xAPIC (MMIO) mode (Intel SDM vol. 3A, chapter 10). */
#include "cpu/cpu.h"
#include "cpu/percpu.h"
#include "intr/apic.h"
#include "intr/intr.h"
#include "intr/irq.h"
#include "lib/log.h"
#include "mm/paging.h"

/* Register offsets (SDM vol. 3A, table 10-1). */
#define LAPIC_ID 0x20
#define LAPIC_TPR 0x80
#define LAPIC_EOI 0xb0
#define LAPIC_SVR 0xf0
#define LAPIC_ESR 0x280
#define LAPIC_ICR_LOW 0x300
#define LAPIC_ICR_HIGH 0x310
#define LAPIC_LVT_ERROR 0x370
#define SVR_ENABLE (1u << 8)
#define LVT_MASKED (1u << 16)
#define ICR_PENDING (1u << 12)
#define ICR_ALL_BUT_SELF (3u << 18) /* destination shorthand */
#define APIC_BASE_ENABLE (1ull << 11)
#define APIC_BASE_ADDR UINT64_C(0x000ffffffffff000)

static volatile uint32_t *regs;

uint32_t lapic_read(uint32_t reg) { return regs[reg / 4]; }
void lapic_write(uint32_t reg, uint32_t v) { regs[reg / 4] = v; }

uint32_t lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

void lapic_eoi(void)
{
	if (regs)
		lapic_write(LAPIC_EOI, 0);
}

void lapic_init(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);
	if (!regs) {
		regs = vm_map_device(base & APIC_BASE_ADDR, PAGE_SIZE);
		if (!regs)
			panic("lapic: cannot map the local APIC at %lx", base & APIC_BASE_ADDR);
	}
	wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
	lapic_write(LAPIC_TPR, 0);                 /* accept every priority */
	lapic_write(LAPIC_LVT_ERROR, LVT_MASKED);
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
	this_cpu()->lapic_id = lapic_id();
}

void lapic_send_ipi(uint32_t apic_id, uint8_t vector)
{
	lapic_write(LAPIC_ICR_HIGH, apic_id << 24);
	lapic_write(LAPIC_ICR_LOW, vector); /* fixed delivery, physical destination */
	while (lapic_read(LAPIC_ICR_LOW) & ICR_PENDING)
		cpu_pause();
}

void lapic_send_ipi_others(uint8_t vector)
{
	lapic_write(LAPIC_ICR_HIGH, 0);
	lapic_write(LAPIC_ICR_LOW, ICR_ALL_BUT_SELF | vector);
	while (lapic_read(LAPIC_ICR_LOW) & ICR_PENDING)
		cpu_pause();
}
