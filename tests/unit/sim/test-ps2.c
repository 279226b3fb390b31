#include "fake-machine.h"
#include "keymap.h"
#include "ps2.h"
#include "trace.h"

#define DATA 0x60
#define STATUS 0x64
#define OBF 0x01

struct fixture {
	struct fake_machine f;
	struct ps2_state ps2;
};

static int setup(void **state)
{
	struct fixture *t = calloc(1, sizeof *t);
	fake_machine_init(&t->f);
	assert_int_equal(ps2_init(&t->ps2, &t->f.m), 0);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *t = *state;
	ps2_destroy(&t->ps2);
	sim_machine_destroy(&t->f.m);
	free(t);
	return 0;
}

/* Reads one byte the way a polling driver does; fails if none is there. */
static uint8_t read_data(struct fixture *t)
{
	assert_int_equal(inb(&t->f, STATUS) & OBF, OBF);
	return inb(&t->f, DATA);
}

static void test_ps2_controller_self_test_and_port_test(void **state)
{
	struct fixture *t = *state;
	outb(&t->f, STATUS, 0xaa);
	assert_int_equal(read_data(t), 0x55);
	outb(&t->f, STATUS, 0xab);
	assert_int_equal(read_data(t), 0x00);
	assert_int_equal(inb(&t->f, STATUS) & OBF, 0);
}

static void test_ps2_config_byte_read_write(void **state)
{
	struct fixture *t = *state;
	outb(&t->f, STATUS, 0x20);
	uint8_t config = read_data(t);
	assert_int_equal(config & 0x01, 0x01); /* BIOS left IRQ 1 on */
	outb(&t->f, STATUS, 0x60);
	outb(&t->f, DATA, config & ~0x41); /* no IRQ, no translation */
	outb(&t->f, STATUS, 0x20);
	assert_int_equal(read_data(t), config & ~0x41);
}

static void test_ps2_keyboard_reset_echo_and_leds(void **state)
{
	struct fixture *t = *state;
	outb(&t->f, DATA, 0xff);
	assert_int_equal(read_data(t), 0xfa);
	assert_int_equal(read_data(t), 0xaa);
	outb(&t->f, DATA, 0xee);
	assert_int_equal(read_data(t), 0xee);
	outb(&t->f, DATA, 0xed);
	assert_int_equal(read_data(t), 0xfa);
	outb(&t->f, DATA, 0x04); /* caps lock */
	assert_int_equal(read_data(t), 0xfa);
	assert_int_equal(t->ps2.kbd.leds, 0x04);
}

static void test_ps2_key_make_break_queue_with_irq(void **state)
{
	struct fixture *t = *state;
	uint8_t bytes[2];
	unsigned len = keymap_set1(KEY_UP, bytes);
	ps2_key_event(&t->ps2, (const uint8_t[]){ 0x1e }, 1, 1); /* 'a' down */
	ps2_key_event(&t->ps2, (const uint8_t[]){ 0x1e }, 1, 0);
	ps2_key_event(&t->ps2, bytes, len, 1);
	assert_int_equal(t->f.irq_level[PS2_KBD_IRQ], 1);
	const uint8_t expect[] = { 0x1e, 0x9e, 0xe0, 0x48 };
	for (unsigned i = 0; i < sizeof expect; i++) {
		assert_int_equal(t->f.irq_level[PS2_KBD_IRQ], 1);
		assert_int_equal(read_data(t), expect[i]);
	}
	assert_int_equal(t->f.irq_level[PS2_KBD_IRQ], 0);
	assert_true(t->f.irq_raises[PS2_KBD_IRQ] >= 1);
}

static void test_ps2_scanning_disabled_drops_keys(void **state)
{
	struct fixture *t = *state;
	outb(&t->f, DATA, 0xf5);
	assert_int_equal(read_data(t), 0xfa);
	ps2_key_event(&t->ps2, (const uint8_t[]){ 0x1e }, 1, 1);
	assert_int_equal(inb(&t->f, STATUS) & OBF, 0);
	outb(&t->f, DATA, 0xf4);
	assert_int_equal(read_data(t), 0xfa);
	ps2_key_event(&t->ps2, (const uint8_t[]){ 0x1e }, 1, 1);
	assert_int_equal(read_data(t), 0x1e);
}

static void test_ps2_disabled_port_holds_bytes_until_enabled(void **state)
{
	struct fixture *t = *state;
	outb(&t->f, STATUS, 0xad);
	ps2_key_event(&t->ps2, (const uint8_t[]){ 0x10 }, 1, 1);
	assert_int_equal(inb(&t->f, STATUS) & OBF, 0);
	outb(&t->f, STATUS, 0xae);
	assert_int_equal(read_data(t), 0x10);
}

static void test_ps2_unknown_commands_are_traced(void **state)
{
	struct fixture *t = *state;
	unsigned long before = sim_trace_count();
	outb(&t->f, STATUS, 0x12);
	outb(&t->f, DATA, 0x42); /* keyboard: unknown command, answers resend */
	assert_int_equal(read_data(t), 0xfe);
	assert_true(sim_trace_count() >= before + 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ps2_controller_self_test_and_port_test, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ps2_config_byte_read_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ps2_keyboard_reset_echo_and_leds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ps2_key_make_break_queue_with_irq, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ps2_scanning_disabled_drops_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ps2_disabled_port_holds_bytes_until_enabled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ps2_unknown_commands_are_traced, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
