/* The legacy 8259A pair: remapped out of the exception range, then fully masked; the
 * IOAPIC delivers device interrupts instead (8259A datasheet; OSDev "8259 PIC"). */
#include "cpu/cpu.h"
#include "intr/apic.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1
#define ICW1_INIT_ICW4 0x11  /* initialise, ICW4 follows */
#define ICW4_8086 0x01
#define PIC1_VECTOR 0x20     /* a spurious PIC interrupt lands here, not on an exception */
#define PIC2_VECTOR 0x28
#define PIC_CASCADE_IRQ 2
#define MASK_ALL 0xff

void pic_disable(void)
{
	outb(PIC1_CMD, ICW1_INIT_ICW4);
	outb(PIC2_CMD, ICW1_INIT_ICW4);
	outb(PIC1_DATA, PIC1_VECTOR);
	outb(PIC2_DATA, PIC2_VECTOR);
	outb(PIC1_DATA, 1 << PIC_CASCADE_IRQ); /* ICW3: slave on IRQ 2 */
	outb(PIC2_DATA, PIC_CASCADE_IRQ);       /* ICW3: slave identity */
	outb(PIC1_DATA, ICW4_8086);
	outb(PIC2_DATA, ICW4_8086);
	outb(PIC1_DATA, MASK_ALL);
	outb(PIC2_DATA, MASK_ALL);
}
