#include <string.h>
#include <time.h>

#include "fake-machine.h"
#include "rtc.h"
#include "trace.h"

#define NS 1000000000ull
/* 2024-02-29 23:59:58 UTC, a Thursday */
#define LEAP_EVENING 1709251198ull

struct fixture {
	struct fake_machine f;
	struct rtc_state rtc;
};

static int setup(void **state)
{
	struct fixture *t = calloc(1, sizeof *t);
	fake_machine_init(&t->f);
	t->f.wall_ns = LEAP_EVENING * NS;
	assert_int_equal(rtc_init(&t->rtc, &t->f.m), 0);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *t = *state;
	rtc_destroy(&t->rtc);
	sim_machine_destroy(&t->f.m);
	free(t);
	return 0;
}

static uint8_t cmos(struct fixture *t, uint8_t reg)
{
	outb(&t->f, 0x70, reg);
	return inb(&t->f, 0x71);
}

static void cmos_set(struct fixture *t, uint8_t reg, uint8_t v)
{
	outb(&t->f, 0x70, reg);
	outb(&t->f, 0x71, v);
}

static void test_rtc_bcd_24h_reads_the_given_clock(void **state)
{
	struct fixture *t = *state;
	assert_int_equal(cmos(t, 0x00), 0x58);
	assert_int_equal(cmos(t, 0x02), 0x59);
	assert_int_equal(cmos(t, 0x04), 0x23);
	assert_int_equal(cmos(t, 0x06), 5); /* Thursday, 1 = Sunday */
	assert_int_equal(cmos(t, 0x07), 0x29);
	assert_int_equal(cmos(t, 0x08), 0x02);
	assert_int_equal(cmos(t, 0x09), 0x24);
	assert_int_equal(cmos(t, 0x32), 0x20);
	assert_int_equal(cmos(t, 0x0d) & 0x80, 0x80); /* VRT: battery good */
}

static void test_rtc_binary_12h_mode_follows_register_b(void **state)
{
	struct fixture *t = *state;
	cmos_set(t, 0x0b, 0x04); /* binary, 12-hour */
	assert_int_equal(cmos(t, 0x00), 58);
	assert_int_equal(cmos(t, 0x04), 0x80 | 11); /* 23h = 11 PM */
	t->f.wall_ns += 2 * NS;                       /* midnight: 12 AM, March 1st */
	assert_int_equal(cmos(t, 0x04), 12);
	assert_int_equal(cmos(t, 0x07), 1);
	assert_int_equal(cmos(t, 0x08), 3);
}

static void test_rtc_uip_set_only_just_before_the_update(void **state)
{
	struct fixture *t = *state;
	t->f.wall_ns = LEAP_EVENING * NS + 500000000ull;
	assert_int_equal(cmos(t, 0x0a) & 0x80, 0);
	t->f.wall_ns = LEAP_EVENING * NS + NS - 100000ull; /* 100 us before the second ends */
	assert_int_equal(cmos(t, 0x0a) & 0x80, 0x80);
}

static void test_rtc_set_time_moves_the_guest_clock_only(void **state)
{
	struct fixture *t = *state;
	cmos_set(t, 0x0b, 0x82); /* SET, 24h, BCD */
	cmos_set(t, 0x04, 0x07);
	cmos_set(t, 0x02, 0x30);
	t->f.wall_ns += 5 * NS;
	assert_int_equal(cmos(t, 0x04), 0x07); /* frozen while SET */
	cmos_set(t, 0x0b, 0x02);
	t->f.wall_ns += 3 * NS;
	assert_int_equal(cmos(t, 0x04), 0x07);
	assert_int_equal(cmos(t, 0x02), 0x31); /* 07:30:58 + 3 s */
	assert_int_equal(cmos(t, 0x00), 0x01);
}

static void test_rtc_periodic_interrupt_and_register_c_clears_it(void **state)
{
	struct fixture *t = *state;
	cmos_set(t, 0x0a, 0x26); /* 1024 Hz */
	cmos_set(t, 0x0b, 0x42); /* PIE */
	assert_int_equal(t->f.irq_level[RTC_IRQ], 0);
	fake_advance(&t->f, 976563); /* one period */
	assert_int_equal(t->f.irq_level[RTC_IRQ], 1);
	uint8_t c = cmos(t, 0x0c);
	assert_int_equal(c & 0xc0, 0xc0); /* IRQF | PF */
	assert_int_equal(t->f.irq_level[RTC_IRQ], 0);
	assert_int_equal(cmos(t, 0x0c), 0);
	fake_advance(&t->f, 10 * 976563);
	assert_true(t->f.irq_raises[RTC_IRQ] >= 2);
}

static void test_rtc_update_interrupt_each_second(void **state)
{
	struct fixture *t = *state;
	cmos_set(t, 0x0b, 0x12); /* UIE */
	fake_advance(&t->f, NS / 2);
	assert_int_equal(t->f.irq_level[RTC_IRQ], 0);
	fake_advance(&t->f, NS / 2);
	assert_int_equal(t->f.irq_level[RTC_IRQ], 1);
	assert_int_equal(cmos(t, 0x0c) & 0x90, 0x90); /* IRQF | UF */
	assert_int_equal(cmos(t, 0x00), 0x59);
}

static void test_rtc_misuse_is_traced_not_fatal(void **state)
{
	struct fixture *t = *state;
	unsigned long before = sim_trace_count();
	cmos_set(t, 0x0d, 0x00);                /* D is read-only */
	sim_port_out(&t->f.m, 0x70, 4, 0x12345); /* wrong width */
	assert_true(sim_trace_count() >= before + 2);
	assert_int_equal(cmos(t, 0x0d) & 0x80, 0x80);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rtc_bcd_24h_reads_the_given_clock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rtc_binary_12h_mode_follows_register_b, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rtc_uip_set_only_just_before_the_update, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rtc_set_time_moves_the_guest_clock_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rtc_periodic_interrupt_and_register_c_clears_it, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rtc_update_interrupt_each_second, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rtc_misuse_is_traced_not_fatal, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
