/* A machine with clocks the test sets, and a record of IRQ line changes. */
#ifndef RTJS_TEST_FAKE_MACHINE_H
#define RTJS_TEST_FAKE_MACHINE_H

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "machine.h"

struct fake_machine {
	struct sim_machine m;
	uint64_t monotonic_ns, wall_ns;
	int irq_level[SIM_IRQ_LINES];
	unsigned irq_raises[SIM_IRQ_LINES];
};

static uint64_t fake_monotonic(void *ctx)
{
	return ((struct fake_machine *)ctx)->monotonic_ns;
}

static uint64_t fake_wall(void *ctx)
{
	return ((struct fake_machine *)ctx)->wall_ns;
}

static void fake_irq_changed(void *ctx, unsigned line, int level)
{
	struct fake_machine *f = ctx;
	f->irq_level[line] = level;
	if (level)
		f->irq_raises[line]++;
}

static inline void fake_machine_init(struct fake_machine *f)
{
	memset(f, 0, sizeof *f);
	assert_int_equal(sim_machine_init(&f->m, 1 << 20), 0);
	f->monotonic_ns = 1000000000ull;
	sim_machine_set_clocks(&f->m, fake_monotonic, fake_wall, f);
	sim_machine_set_irq_callback(&f->m, fake_irq_changed, f);
}

/* Moves the monotonic and wall clocks forward together and runs due timers. */
static inline void fake_advance(struct fake_machine *f, uint64_t ns)
{
	f->monotonic_ns += ns;
	f->wall_ns += ns;
	sim_timers_run(&f->m, f->monotonic_ns);
}

static inline uint8_t inb(struct fake_machine *f, uint16_t port)
{
	return (uint8_t)sim_port_in(&f->m, port, 1);
}

static inline void outb(struct fake_machine *f, uint16_t port, uint8_t v)
{
	sim_port_out(&f->m, port, 1, v);
}

#endif
