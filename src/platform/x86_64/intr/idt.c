/* The IDT and the C side of interrupt dispatch. */
#include <errno.h>
#include <stddef.h>
#include "cpu/cpu.h"
#include "cpu/gdt.h"
#include "cpu/percpu.h"
#include "intr/intr.h"
#include "intr/irq.h"
#include "lib/log.h"

#define IDT_ENTRIES 256
#define GATE_INTERRUPT 0x8e /* present, DPL 0, 64-bit interrupt gate (IF cleared on entry) */
#define STUB_SIZE 16        /* intr/isr.S aligns each stub to 16 bytes */

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __attribute__((packed));

struct idt_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

struct handler {
	intr_fn fn;
	void *ctx;
};

extern const uint64_t intr_stub_table[IDT_ENTRIES];
static struct idt_gate idt[IDT_ENTRIES] __attribute__((aligned(16)));
static struct handler handlers[IDT_ENTRIES];

struct intr_frame *intr_dispatch(struct intr_frame *f);

static unsigned ist_for(unsigned v)
{
	switch (v) {
	case VEC_NMI: return IST_NMI;
	case VEC_DOUBLE_FAULT: return IST_DOUBLE_FAULT;
	case VEC_MACHINE_CHECK: return IST_MACHINE_CHECK;
	case VEC_PAGE_FAULT: return IST_PAGE_FAULT;
	case VEC_DEBUG:
	case VEC_BREAKPOINT: return IST_DEBUG;
	default: return v < 32 ? IST_EXCEPTION : IST_IRQ;
	}
}

void idt_init(void)
{
	for (unsigned v = 0; v < IDT_ENTRIES; v++) {
		uint64_t a = intr_stub_table[v];
		idt[v] = (struct idt_gate){
			.offset_low = (uint16_t)a,
			.selector = GDT_KCODE,
			.ist = (uint8_t)ist_for(v),
			.type = GATE_INTERRUPT,
			.offset_mid = (uint16_t)(a >> 16),
			.offset_high = (uint32_t)(a >> 32),
		};
	}
	idt_load();
}

void idt_load(void)
{
	struct idt_ptr p = { sizeof idt - 1, (uint64_t)idt };
	__asm__ volatile("lidt %0" : : "m"(p));
}

/* The slot of a handler being installed: its ctx is not written yet. An interrupt on the
 * vector meanwhile is treated as one arriving before the install. */
static int installing(struct intr_frame *f, void *ctx)
{
	(void)f;
	(void)ctx;
	return INTR_UNHANDLED;
}

int intr_register(unsigned vector, intr_fn fn, void *ctx)
{
	if (vector >= IDT_ENTRIES || !fn)
		return -EINVAL;
	/* Claimed in one atomic step, so that two CPUs installing on the same vector cannot both
	 * find it free; ctx is written before the handler becomes visible. */
	intr_fn none = NULL;
	if (!__atomic_compare_exchange_n(&handlers[vector].fn, &none, installing, 0, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		return -EBUSY;
	handlers[vector].ctx = ctx;
	__atomic_store_n(&handlers[vector].fn, fn, __ATOMIC_RELEASE);
	return 0;
}

void intr_unregister(unsigned vector)
{
	if (vector < IDT_ENTRIES)
		__atomic_store_n(&handlers[vector].fn, NULL, __ATOMIC_RELEASE);
}

void intr_return_to(struct intr_frame *f)
{
	this_cpu()->intr_return = f;
}

uint64_t intr_fault_address(void)
{
	return this_cpu()->fault_address;
}

static int call_handler(struct intr_frame *f)
{
	struct handler *h = &handlers[f->vector];
	intr_fn fn = __atomic_load_n(&h->fn, __ATOMIC_ACQUIRE);
	return fn ? fn(f, h->ctx) : INTR_UNHANDLED;
}

static void unexpected_irq(unsigned vector)
{
	static uint8_t reported[IDT_ENTRIES];
	if (!reported[vector]) {
		reported[vector] = 1;
		kprintf("intr: unexpected interrupt on vector %u (reported once)\n", vector);
	}
}

/* Called from intr/isr.S with interrupts off, on the vector's IST stack. */
struct intr_frame *intr_dispatch(struct intr_frame *f)
{
	struct percpu *c = this_cpu();
	c->intr_depth++;
	if (f->vector == VEC_PAGE_FAULT) {
		c->fault_address = read_cr2();
		/* The #PF IST stack is per CPU: a fault inside a #PF handler reused it and
		 * overwrote the first frame. Say so rather than resume garbage. */
		if (c->in_page_fault++)
			intr_fatal(f, "page fault inside the page-fault handler (its frame was overwritten)");
	}
	int r = call_handler(f);
	if (f->vector == VEC_PAGE_FAULT)
		c->in_page_fault--;
	if (f->vector < 32) {
		if (r != INTR_HANDLED)
			intr_fatal(f, NULL);
	} else if (f->vector != VEC_SPURIOUS) {
		/* The spurious vector must not be acknowledged (SDM vol. 3A, 10.9). */
		if (r != INTR_HANDLED)
			unexpected_irq((unsigned)f->vector);
		lapic_eoi();
	}
	c->intr_depth--;
	struct intr_frame *next = c->intr_return;
	c->intr_return = NULL;
	return next ? next : f;
}
