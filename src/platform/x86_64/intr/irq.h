/* Device interrupt lines: ISA IRQs and IOAPIC global system interrupts (GSIs).
 * GSI n is delivered on vector VEC_IRQ_BASE + n to the boot CPU; the handler runs with
 * interrupts off and the kernel sends the local APIC EOI after it returns. */
#ifndef RTJS_IRQ_H
#define RTJS_IRQ_H
#include "intr/intr.h"

#define IRQ_EDGE 0
#define IRQ_LEVEL 1
#define IRQ_ACTIVE_HIGH 0
#define IRQ_ACTIVE_LOW 1

/* The GSI, trigger and polarity of ISA IRQ `isa` (0-15) after the MADT's interrupt
 * source overrides (ISA default: same number, edge, active high). */
int irq_isa_route(unsigned isa, unsigned *gsi, int *trigger, int *polarity);
/* Attach fn to ISA IRQ `isa` and unmask it. Returns the vector or -errno (-EBUSY). */
int irq_attach_isa(unsigned isa, intr_fn fn, void *ctx);
/* Attach fn to a GSI (PCI lines: IRQ_LEVEL, IRQ_ACTIVE_LOW) and unmask it. */
int irq_attach_gsi(unsigned gsi, int trigger, int polarity, intr_fn fn, void *ctx);
void irq_detach_gsi(unsigned gsi);
/* Mask/unmask a GSI at the IOAPIC (e.g. keep a level line masked until a driver acks). */
void irq_mask(unsigned gsi);
void irq_unmask(unsigned gsi);

/* Kernel: local APIC end-of-interrupt for the interrupt being handled. */
void lapic_eoi(void);

#endif
