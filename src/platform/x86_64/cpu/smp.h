/* Application processors: started at boot from the MADT (INIT-SIPI-SIPI, Intel SDM vol. 3A
 * 8.4.4), each with its own GDT/TSS/IST stacks, per-CPU block, IDT, features and local
 * APIC. Started CPUs idle (hlt, interrupts on) until given work with smp_start_on. */
#ifndef RTJS_SMP_H
#define RTJS_SMP_H
#include "cpu/percpu.h"

/* CPUs online, the boot CPU included; CPU indices are 0..smp_cpu_count()-1 (0 = boot). */
unsigned smp_cpu_count(void);
/* The per-CPU block of CPU `index`, NULL if not online. */
struct percpu *smp_cpu(unsigned index);

/* Runs fn(arg) on idle CPU `index` on its own 64 KiB stack, interrupts enabled. If fn
 * returns, the CPU idles again. -EINVAL bad index or the boot CPU, -EBUSY not idle. */
int smp_start_on(unsigned index, void (*fn)(void *arg), void *arg);

/* Kernel: starts every enabled CPU in the MADT (call after lapic_init and the heap). */
void smp_init(void);

#endif
