#include "dev/serial.h"
#include "cpu/cpu.h"

/* 16550 registers, offsets from the base port. */
#define UART_DATA 0
#define UART_IER 1 /* interrupt enable */
#define UART_FCR 2 /* FIFO control */
#define UART_LCR 3 /* line control */
#define UART_MCR 4 /* modem control */
#define UART_LSR 5 /* line status */
#define UART_DLL 0 /* divisor latch low, when LCR.DLAB */
#define UART_DLM 1
#define LCR_DLAB 0x80
#define LCR_8N1 0x03
#define FCR_ENABLE_CLEAR 0x07 /* enable FIFOs, clear both */
#define MCR_DTR_RTS_OUT2 0x0b
#define IER_RX_AVAILABLE 0x01
#define LSR_DATA_READY 0x01
#define LSR_THRE 0x20           /* transmit-hold-register empty */
#define DIVISOR_115200 1        /* 115200 = 1.8432 MHz / (16 * 1) */
#define TX_SPIN_LIMIT 100000    /* a missing UART reads 0xff; never wait forever */

static int com1_present, com2_present;

/* 115200 8N1 with FIFOs; 1 if a UART answers at the port (a missing one reads 0xff). */
static int uart_init(uint16_t port)
{
	outb(port + UART_IER, 0);
	outb(port + UART_LCR, LCR_DLAB);
	outb(port + UART_DLL, DIVISOR_115200);
	outb(port + UART_DLM, 0);
	outb(port + UART_LCR, LCR_8N1);
	outb(port + UART_FCR, FCR_ENABLE_CLEAR);
	outb(port + UART_MCR, MCR_DTR_RTS_OUT2);
	return inb(port + UART_LSR) != 0xff;
}

void serial_init(void)
{
	com1_present = uart_init(COM1_PORT);
}

int serial_com2_init(void)
{
	com2_present = uart_init(COM2_PORT);
	return com2_present;
}

static void put(uint16_t port, char c)
{
	for (int i = 0; i < TX_SPIN_LIMIT; i++)
		if (inb(port + UART_LSR) & LSR_THRE)
			break;
	outb(port + UART_DATA, (uint8_t)c);
}

static void uart_write(uint16_t port, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			put(port, '\r');
		put(port, s[i]);
	}
}

void serial_write(const char *s, size_t n)
{
	if (com1_present)
		uart_write(COM1_PORT, s, n);
}

void serial_com2_write(const char *s, size_t n)
{
	if (com2_present)
		uart_write(COM2_PORT, s, n);
}

int serial_read(void)
{
	if (!com1_present || !(inb(COM1_PORT + UART_LSR) & LSR_DATA_READY))
		return -1;
	return inb(COM1_PORT + UART_DATA);
}

void serial_rx_irq(int enable)
{
	outb(COM1_PORT + UART_IER, enable ? IER_RX_AVAILABLE : 0);
}
