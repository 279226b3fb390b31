#include "cpu/gdt.h"
#include <string.h>
#include "cpu/cpu.h"

/* Descriptor bits (SDM vol. 3A, 3.4.5 and 7.2.3). */
#define SEG_KCODE64 0x00af9a000000ffffull /* present, DPL0, code exec/read, L=1, G=1 */
#define SEG_KDATA 0x00cf92000000ffffull   /* present, DPL0, data read/write, D/B=1, G=1 */
#define TSS_TYPE_AVAILABLE 0x9
#define DESC_PRESENT (1ull << 47)

struct gdt_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static void set_tss_descriptor(uint64_t *slot, const struct tss *tss)
{
	uint64_t base = (uint64_t)tss, limit = sizeof *tss - 1;
	slot[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) | ((uint64_t)TSS_TYPE_AVAILABLE << 40) |
		  DESC_PRESENT | (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	slot[1] = base >> 32;
}

/* Far return to reload CS; then the data segments. */
static void reload_segments(void)
{
	__asm__ volatile("pushq %0\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %w1, %%ax\n\t"
			 "movw %%ax, %%ds\n\t"
			 "movw %%ax, %%es\n\t"
			 "movw %%ax, %%ss\n\t"
			 "xorl %%eax, %%eax\n\t"
			 "movw %%ax, %%fs\n\t"
			 "movw %%ax, %%gs"
			 :
			 : "i"(GDT_KCODE), "r"((uint64_t)GDT_KDATA)
			 : "rax", "memory");
}

void gdt_init_cpu(struct percpu *p, struct cpu_tables *t)
{
	memset(&t->tss, 0, sizeof t->tss);
	for (unsigned i = 1; i <= IST_COUNT; i++)
		t->tss.ist[i] = (uint64_t)t->ist_stacks[i - 1] + IST_STACK_SIZE;
	t->tss.iomap_base = sizeof t->tss; /* no I/O bitmap: ring 0 needs none */
	t->gdt[0] = 0;
	t->gdt[1] = SEG_KCODE64;
	t->gdt[2] = SEG_KDATA;
	set_tss_descriptor(&t->gdt[3], &t->tss);
	struct gdt_ptr ptr = { sizeof t->gdt - 1, (uint64_t)t->gdt };
	__asm__ volatile("lgdt %0" : : "m"(ptr));
	reload_segments();
	__asm__ volatile("ltr %w0" : : "r"((uint16_t)GDT_TSS));
	p->tss = &t->tss;
}

uint64_t gdt_ist_top(unsigned slot)
{
	struct tss *tss = this_cpu()->tss;
	return (tss && slot >= 1 && slot <= IST_COUNT) ? tss->ist[slot] : 0;
}
