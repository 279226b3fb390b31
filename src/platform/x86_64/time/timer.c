/* Local APIC timer (SDM vol. 3A, 10.5.4). */
#include <errno.h>
#include "cpu/cpu.h"
#include "cpu/percpu.h"
#include "intr/apic.h"
#include "intr/intr.h"
#include "lib/log.h"
#include "time/clock.h"
#include "time/timer.h"

#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE 0x3e0
#define DIVIDE_BY_16 0x3
#define LVT_MASKED (1u << 16)
#define LVT_PERIODIC (1u << 17)
#define CALIBRATION_US 10000
#define MAX_HZ 10000

static uint64_t lapic_hz; /* timer counts per second at divide-by-16 */
static unsigned tick_hz;
static timer_tick_fn tick_fn;
static void *tick_ctx;

static int on_tick(struct intr_frame *f, void *ctx)
{
	(void)ctx;
	this_cpu()->ticks++;
	timer_tick_fn fn = __atomic_load_n(&tick_fn, __ATOMIC_ACQUIRE);
	if (fn)
		fn(f, tick_ctx);
	return INTR_HANDLED;
}

void timer_calibrate(void)
{
	lapic_write(LAPIC_TIMER_DIVIDE, DIVIDE_BY_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_LAPIC_TIMER);
	lapic_write(LAPIC_TIMER_INITIAL, 0xffffffff);
	uint64_t t0 = rdtsc();
	clock_delay_us(CALIBRATION_US);
	uint32_t left = lapic_read(LAPIC_TIMER_CURRENT);
	uint64_t ns = clock_tsc_to_ns(rdtsc() - t0);
	lapic_write(LAPIC_TIMER_INITIAL, 0);
	lapic_hz = (uint64_t)(0xffffffffu - left) * (uint64_t)NS_PER_SEC / ns;
	/* The tick handler is installed here, once on the boot CPU before any other CPU runs:
	 * installed by the first timer_start, CPUs starting their timers together raced for it,
	 * and the loser's timer never started. */
	if (intr_register(VEC_LAPIC_TIMER, on_tick, NULL)) {
		kprintf("timer: vector 0x%x is taken; no local APIC timer\n", VEC_LAPIC_TIMER);
		lapic_hz = 0;
		return;
	}
	kprintf("timer: local APIC timer %lu kHz (divide by 16)\n", lapic_hz / 1000);
}

uint64_t timer_lapic_hz(void) { return lapic_hz; }
unsigned timer_hz(void) { return tick_hz; }
uint64_t timer_ticks(void) { return this_cpu()->ticks; }

void timer_set_tick(timer_tick_fn fn, void *ctx)
{
	tick_ctx = ctx;
	__atomic_store_n(&tick_fn, fn, __ATOMIC_RELEASE);
}

int timer_start(unsigned hz)
{
	if (hz == 0 || hz > MAX_HZ)
		return -EINVAL;
	if (!lapic_hz)
		return -ENODEV;
	tick_hz = hz;
	this_cpu()->ticks = 0;
	lapic_write(LAPIC_TIMER_DIVIDE, DIVIDE_BY_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | VEC_LAPIC_TIMER);
	lapic_write(LAPIC_TIMER_INITIAL, (uint32_t)(lapic_hz / hz));
	return 0;
}

void timer_stop(void)
{
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_LAPIC_TIMER);
	lapic_write(LAPIC_TIMER_INITIAL, 0);
}
