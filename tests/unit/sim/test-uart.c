#include "fake-machine.h"
#include "trace.h"
#include "uart.h"

#define COM1 0x3f8
#define THR 0
#define RBR 0
#define IER 1
#define IIR 2
#define FCR 2
#define LCR 3
#define MCR 4
#define LSR 5
#define MSR 6
#define SCR 7

struct fixture {
	struct fake_machine f;
	struct uart_state uart;
	uint8_t sent[64];
	unsigned nsent;
};

static void sink(void *ctx, uint8_t byte)
{
	struct fixture *t = ctx;
	t->sent[t->nsent++ % sizeof t->sent] = byte;
}

static int setup(void **state)
{
	struct fixture *t = calloc(1, sizeof *t);
	fake_machine_init(&t->f);
	assert_int_equal(uart_init(&t->uart, &t->f.m, COM1, UART_COM1_IRQ), 0);
	uart_set_sink(&t->uart, sink, t);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *t = *state;
	uart_destroy(&t->uart);
	sim_machine_destroy(&t->f.m);
	free(t);
	return 0;
}

static void test_uart_transmit_reaches_the_sink(void **state)
{
	struct fixture *t = *state;
	outb(&t->f, COM1 + THR, 'h');
	outb(&t->f, COM1 + THR, 'i');
	assert_int_equal(t->nsent, 2);
	assert_memory_equal(t->sent, "hi", 2);
	assert_int_equal(inb(&t->f, COM1 + LSR) & 0x60, 0x60); /* THRE | TEMT */
}

static void test_uart_divisor_latch_and_scratch(void **state)
{
	struct fixture *t = *state;
	outb(&t->f, COM1 + LCR, 0x80); /* DLAB */
	outb(&t->f, COM1 + 0, 0x01);   /* 115200 baud */
	outb(&t->f, COM1 + 1, 0x00);
	assert_int_equal(inb(&t->f, COM1 + 0), 0x01);
	outb(&t->f, COM1 + LCR, 0x03); /* 8N1 */
	assert_int_equal(t->uart.divisor, 1);
	assert_int_equal(t->nsent, 0); /* divisor writes are not data */
	outb(&t->f, COM1 + SCR, 0x5a);
	assert_int_equal(inb(&t->f, COM1 + SCR), 0x5a);
}

static void test_uart_loopback_echoes_and_mirrors_modem_lines(void **state)
{
	struct fixture *t = *state;
	outb(&t->f, COM1 + MCR, 0x1e); /* LOOP | OUT2 | OUT1 | RTS */
	outb(&t->f, COM1 + THR, 0xae);
	assert_int_equal(t->nsent, 0);
	assert_int_equal(inb(&t->f, COM1 + LSR) & 0x01, 0x01);
	assert_int_equal(inb(&t->f, COM1 + RBR), 0xae);
	assert_int_equal(inb(&t->f, COM1 + LSR) & 0x01, 0);
	uint8_t msr = inb(&t->f, COM1 + MSR);
	assert_int_equal(msr & 0xf0, 0x10 | 0x40 | 0x80); /* CTS=RTS, RI=OUT1, DCD=OUT2, DSR=DTR(0) */
}

static void test_uart_receive_interrupt_needs_ier_and_out2(void **state)
{
	struct fixture *t = *state;
	const uint8_t byte = 'x';
	uart_receive(&t->uart, &byte, 1);
	assert_int_equal(t->f.irq_level[UART_COM1_IRQ], 0); /* IER = 0 */
	outb(&t->f, COM1 + IER, 0x01);
	assert_int_equal(t->f.irq_level[UART_COM1_IRQ], 0); /* OUT2 gates the line on a PC */
	outb(&t->f, COM1 + MCR, 0x08);
	assert_int_equal(t->f.irq_level[UART_COM1_IRQ], 1);
	assert_int_equal(inb(&t->f, COM1 + IIR) & 0x0f, 0x04); /* received data available */
	assert_int_equal(inb(&t->f, COM1 + RBR), 'x');
	assert_int_equal(t->f.irq_level[UART_COM1_IRQ], 0);
	assert_int_equal(inb(&t->f, COM1 + IIR) & 0x0f, 0x01);
}

static void test_uart_fifo_trigger_level_and_timeout_id(void **state)
{
	struct fixture *t = *state;
	outb(&t->f, COM1 + FCR, 0x87); /* enable, clear, trigger 8 */
	outb(&t->f, COM1 + IER, 0x01);
	outb(&t->f, COM1 + MCR, 0x08);
	const uint8_t data[20] = "0123456789abcdefghi";
	assert_int_equal(uart_receive(&t->uart, data, 3), 3);
	assert_int_equal(inb(&t->f, COM1 + IIR), 0xc0 | 0x01); /* below the trigger: nothing yet */
	assert_int_equal(t->f.irq_level[UART_COM1_IRQ], 0);
	fake_advance(&t->f, 4 * 1041667ull); /* 4 characters at the reset divisor 12 (9600 baud) */
	assert_int_equal(inb(&t->f, COM1 + IIR), 0xc0 | 0x0c); /* FIFO on, character timeout */
	assert_int_equal(t->f.irq_level[UART_COM1_IRQ], 1);
	assert_int_equal(uart_receive(&t->uart, data + 3, 17), 13); /* 16-byte FIFO */
	assert_int_equal(inb(&t->f, COM1 + IIR), 0xc0 | 0x04);
	for (int i = 0; i < 16; i++)
		assert_int_equal(inb(&t->f, COM1 + RBR), data[i]);
	assert_int_equal(inb(&t->f, COM1 + LSR) & 0x01, 0);
}

static void test_uart_thre_interrupt_cleared_by_iir_read(void **state)
{
	struct fixture *t = *state;
	outb(&t->f, COM1 + MCR, 0x08);
	outb(&t->f, COM1 + IER, 0x02);
	assert_int_equal(t->f.irq_level[UART_COM1_IRQ], 1);
	assert_int_equal(inb(&t->f, COM1 + IIR) & 0x0f, 0x02);
	assert_int_equal(t->f.irq_level[UART_COM1_IRQ], 0);
	outb(&t->f, COM1 + THR, 'a'); /* sent at once: THR empty again */
	assert_int_equal(t->f.irq_level[UART_COM1_IRQ], 1);
}

static void test_uart_overrun_sets_oe_and_line_status_interrupt(void **state)
{
	struct fixture *t = *state;
	outb(&t->f, COM1 + IER, 0x04);
	outb(&t->f, COM1 + MCR, 0x18); /* loopback to push past a full holding register */
	outb(&t->f, COM1 + THR, 1);
	outb(&t->f, COM1 + THR, 2);
	assert_int_equal(inb(&t->f, COM1 + IIR) & 0x0f, 0x06);
	assert_int_equal(inb(&t->f, COM1 + LSR) & 0x02, 0x02);
	assert_int_equal(inb(&t->f, COM1 + LSR) & 0x02, 0); /* cleared by the read */
	assert_int_equal(inb(&t->f, COM1 + RBR), 1);
}

static void test_uart_misuse_is_traced(void **state)
{
	struct fixture *t = *state;
	unsigned long before = sim_trace_count();
	sim_port_out(&t->f.m, COM1, 2, 0x4142);
	outb(&t->f, COM1 + LSR, 0xff);
	assert_true(sim_trace_count() >= before + 2);
	assert_int_equal(t->nsent, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_uart_transmit_reaches_the_sink, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uart_divisor_latch_and_scratch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uart_loopback_echoes_and_mirrors_modem_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uart_receive_interrupt_needs_ier_and_out2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uart_fifo_trigger_level_and_timeout_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uart_thre_interrupt_cleared_by_iir_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uart_overrun_sets_oe_and_line_status_interrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uart_misuse_is_traced, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
