/* Segments, the TSS and its interrupt stacks (Intel SDM vol. 3A, 3.4.5 and 7.7). */
#ifndef RTJS_GDT_H
#define RTJS_GDT_H
#include <stdint.h>
#include "cpu/percpu.h"

#define GDT_KCODE 0x08 /* 64-bit ring-0 code */
#define GDT_KDATA 0x10 /* ring-0 data/stack */
#define GDT_TSS 0x18   /* 16-byte TSS descriptor */

/* Interrupt stack table slots: every vector runs on one (intr/idt.c assigns them).
 * NMI, #DF, #MC and #PF each own a stack so that none can land on a live one. */
#define IST_NMI 1
#define IST_DOUBLE_FAULT 2
#define IST_MACHINE_CHECK 3
#define IST_PAGE_FAULT 4
#define IST_EXCEPTION 5 /* the other exceptions */
#define IST_IRQ 6       /* device, timer and inter-processor interrupts */
#define IST_DEBUG 7     /* #DB and #BP */
#define IST_COUNT 7
#define IST_STACK_SIZE 16384

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[IST_COUNT + 1]; /* ist[1..7]; ist[0] is the reserved slot */
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

/* Per-CPU descriptor tables and interrupt stacks. */
struct cpu_tables {
	uint64_t gdt[5];
	struct tss tss;
	uint8_t ist_stacks[IST_COUNT][IST_STACK_SIZE] __attribute__((aligned(16)));
};

/* Loads a GDT and TSS for this CPU from t, reloads the segment registers (FS and GS
 * selectors become 0; their bases are set through MSRs afterwards). */
void gdt_init_cpu(struct percpu *p, struct cpu_tables *t);
/* Top of IST stack `slot` (1..7) of this CPU, for diagnostics. */
uint64_t gdt_ist_top(unsigned slot);

#endif
