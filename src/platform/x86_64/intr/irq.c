/* ISA and GSI interrupt lines routed through the IOAPIC to the boot CPU. */
#include <errno.h>
#include "acpi/acpi.h"
#include "cpu/percpu.h"
#include "intr/apic.h"
#include "intr/irq.h"

/* MPS INTI flags in MADT interrupt source overrides (ACPI 6.4, table 5.50). */
#define INTI_POLARITY_MASK 0x3
#define INTI_POLARITY_LOW 0x3
#define INTI_TRIGGER_MASK 0xc
#define INTI_TRIGGER_LEVEL 0xc
#define ISA_IRQS 16

int irq_isa_route(unsigned isa, unsigned *gsi, int *trigger, int *polarity)
{
	if (isa >= ISA_IRQS)
		return -EINVAL;
	*gsi = isa;
	*trigger = IRQ_EDGE;
	*polarity = IRQ_ACTIVE_HIGH;
	const struct acpi_info *ai = acpi_get();
	for (unsigned i = 0; i < ai->override_count; i++) {
		const struct acpi_override *o = &ai->overrides[i];
		if (o->source != isa)
			continue;
		*gsi = o->gsi;
		if ((o->flags & INTI_POLARITY_MASK) == INTI_POLARITY_LOW)
			*polarity = IRQ_ACTIVE_LOW;
		if ((o->flags & INTI_TRIGGER_MASK) == INTI_TRIGGER_LEVEL)
			*trigger = IRQ_LEVEL;
	}
	return 0;
}

int irq_attach_gsi(unsigned gsi, int trigger, int polarity, intr_fn fn, void *ctx)
{
	unsigned vector = VEC_IRQ_BASE + gsi;
	if (vector > VEC_IRQ_LAST)
		return -EINVAL;
	int r = intr_register(vector, fn, ctx);
	if (r)
		return r;
	r = ioapic_route(gsi, (uint8_t)vector, trigger == IRQ_LEVEL, polarity == IRQ_ACTIVE_LOW,
			 percpu_bsp.lapic_id, 0);
	if (r) {
		intr_unregister(vector);
		return r;
	}
	return (int)vector;
}

int irq_attach_isa(unsigned isa, intr_fn fn, void *ctx)
{
	unsigned gsi;
	int trigger, polarity;
	int r = irq_isa_route(isa, &gsi, &trigger, &polarity);
	if (r)
		return r;
	return irq_attach_gsi(gsi, trigger, polarity, fn, ctx);
}

void irq_detach_gsi(unsigned gsi)
{
	ioapic_set_mask(gsi, 1);
	if (VEC_IRQ_BASE + gsi <= VEC_IRQ_LAST)
		intr_unregister(VEC_IRQ_BASE + gsi);
}

void irq_mask(unsigned gsi) { ioapic_set_mask(gsi, 1); }
void irq_unmask(unsigned gsi) { ioapic_set_mask(gsi, 0); }
