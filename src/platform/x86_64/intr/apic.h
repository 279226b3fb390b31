/* Local APIC and IOAPIC (Intel SDM vol. 3A ch. 10; 82093AA IOAPIC datasheet). */
#ifndef RTJS_APIC_H
#define RTJS_APIC_H
#include <stdint.h>

void pic_disable(void);
/* Maps and enables this CPU's local APIC (the boot CPU maps the registers first). */
void lapic_init(void);
uint32_t lapic_id(void);
uint32_t lapic_read(uint32_t reg);
void lapic_write(uint32_t reg, uint32_t v);
/* Sends IPI `vector` to the CPU with APIC id `apic_id` (smp_cpu(i)->lapic_id). */
void lapic_send_ipi(uint32_t apic_id, uint8_t vector);
/* Sends IPI `vector` to every CPU but the caller (e.g. TLB shootdown). */
void lapic_send_ipi_others(uint8_t vector);

/* Maps every IOAPIC from the MADT and masks all of their inputs. */
void ioapic_init(void);
/* Programs GSI gsi: vector, trigger, polarity, destination APIC id; masked or not. */
int ioapic_route(unsigned gsi, uint8_t vector, int level, int active_low, uint32_t dest, int masked);
int ioapic_set_mask(unsigned gsi, int masked);

#endif
