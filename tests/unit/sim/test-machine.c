#include <errno.h>

#include "fake-machine.h"
#include "trace.h"

static uint32_t last_offset;
static unsigned last_size;

static uint32_t dev_read(void *opaque, uint32_t offset, unsigned size)
{
	(void)opaque;
	last_offset = offset;
	last_size = size;
	return 0x11223344;
}

static void dev_write(void *opaque, uint32_t offset, unsigned size, uint32_t value)
{
	(void)opaque; (void)value;
	last_offset = offset;
	last_size = size;
}

static const struct sim_io_ops ops = { dev_read, dev_write };

static void test_machine_ports_dispatch_with_offsets_and_mask_widths(void **state)
{
	(void)state;
	struct fake_machine f;
	fake_machine_init(&f);
	assert_int_equal(sim_port_register(&f.m, 0x100, 8, &ops, NULL), 0);
	assert_int_equal(sim_port_register(&f.m, 0x104, 8, &ops, NULL), -EBUSY);
	assert_int_equal(sim_port_in(&f.m, 0x102, 1), 0x44);
	assert_int_equal(last_offset, 2);
	assert_int_equal(sim_port_in(&f.m, 0x104, 2), 0x3344);
	assert_int_equal(sim_port_in(&f.m, 0x200, 4), 0xffffffff); /* floating bus */
	unsigned long before = sim_trace_count();
	assert_int_equal(sim_port_in(&f.m, 0x100, 3), 0xffffffff); /* bad width: traced, no call */
	assert_true(sim_trace_count() > before);
	sim_machine_destroy(&f.m);
}

static void test_machine_ram_and_regions(void **state)
{
	(void)state;
	struct fake_machine f;
	fake_machine_init(&f);
	static uint8_t window[4096];
	assert_ptr_equal(sim_phys_ptr(&f.m, 0x1000, 16), f.m.ram + 0x1000);
	assert_null(sim_phys_ptr(&f.m, (1 << 20) - 8, 16)); /* past the end of RAM */
	assert_int_equal(sim_mem_register(&f.m, 0x2000, sizeof window, window, NULL, window), 0);
	assert_ptr_equal(sim_phys_ptr(&f.m, 0x2010, 4), window + 0x10);
	assert_int_equal(sim_mem_register(&f.m, 0xfe000000, 0x1000, NULL, &ops, NULL), 0);
	assert_null(sim_phys_ptr(&f.m, 0xfe000000, 4)); /* registers cannot be mapped */
	uint32_t v;
	assert_int_equal(sim_mmio_read(&f.m, 0xfe000010, 4, &v), 0);
	assert_int_equal(v, 0x11223344);
	assert_int_equal(last_offset, 0x10);
	assert_int_equal(sim_mmio_read(&f.m, 0xfd000000, 4, &v), -ENOENT);
	sim_machine_destroy(&f.m);
}

static void test_machine_shared_irq_line_is_high_while_any_source_is(void **state)
{
	(void)state;
	struct fake_machine f;
	fake_machine_init(&f);
	struct sim_irq a, b;
	sim_irq_init(&a, &f.m, 10);
	sim_irq_init(&b, &f.m, 10);
	sim_irq_set(&a, 1);
	sim_irq_set(&b, 1);
	sim_irq_set(&a, 0);
	assert_int_equal(f.irq_level[10], 1);
	sim_irq_set(&b, 0);
	assert_int_equal(f.irq_level[10], 0);
	assert_int_equal(f.irq_raises[10], 1);
	sim_machine_destroy(&f.m);
}

static int fired;
static void on_timer(void *opaque)
{
	(void)opaque;
	fired++;
}

static void test_machine_timers_fire_at_their_deadline(void **state)
{
	(void)state;
	struct fake_machine f;
	fake_machine_init(&f);
	struct sim_timer t;
	sim_timer_init(&f.m, &t, on_timer, NULL);
	fired = 0;
	sim_timer_mod(&f.m, &t, f.monotonic_ns + 100);
	assert_int_equal(sim_timers_next_deadline(&f.m), f.monotonic_ns + 100);
	fake_advance(&f, 99);
	assert_int_equal(fired, 0);
	fake_advance(&f, 1);
	assert_int_equal(fired, 1);
	fake_advance(&f, 1000);
	assert_int_equal(fired, 1); /* one-shot */
	assert_int_equal(sim_timers_next_deadline(&f.m), UINT64_MAX);
	sim_machine_destroy(&f.m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_machine_ports_dispatch_with_offsets_and_mask_widths),
		cmocka_unit_test(test_machine_ram_and_regions),
		cmocka_unit_test(test_machine_shared_irq_line_is_high_while_any_source_is),
		cmocka_unit_test(test_machine_timers_fire_at_their_deadline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
