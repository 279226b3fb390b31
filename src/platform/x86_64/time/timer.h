/* The local APIC timer as a periodic tick (calibrated against the TSC at boot). */
#ifndef RTJS_TIMER_H
#define RTJS_TIMER_H
#include <stdint.h>
#include "intr/intr.h"

/* Called on every tick on the CPU that ticked, interrupts off; may call intr_return_to()
 * to switch context. */
typedef void (*timer_tick_fn)(struct intr_frame *f, void *ctx);

/* Starts (or re-rates) the periodic tick on this CPU at hz (1..10000). -EINVAL, -ENODEV. */
int timer_start(unsigned hz);
void timer_stop(void);
void timer_set_tick(timer_tick_fn fn, void *ctx);
unsigned timer_hz(void);
/* Ticks seen on this CPU since timer_start. */
uint64_t timer_ticks(void);

/* Kernel: measures the local APIC timer's rate (needs clock_init and lapic_init). */
void timer_calibrate(void);
uint64_t timer_lapic_hz(void);

#endif
