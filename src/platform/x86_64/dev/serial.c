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

static int serial_present;

void serial_init(void)
{
	outb(COM1_PORT + UART_IER, 0);
	outb(COM1_PORT + UART_LCR, LCR_DLAB);
	outb(COM1_PORT + UART_DLL, DIVISOR_115200);
	outb(COM1_PORT + UART_DLM, 0);
	outb(COM1_PORT + UART_LCR, LCR_8N1);
	outb(COM1_PORT + UART_FCR, FCR_ENABLE_CLEAR);
	outb(COM1_PORT + UART_MCR, MCR_DTR_RTS_OUT2);
	serial_present = inb(COM1_PORT + UART_LSR) != 0xff;
}

static void put(char c)
{
	for (int i = 0; i < TX_SPIN_LIMIT; i++)
		if (inb(COM1_PORT + UART_LSR) & LSR_THRE)
			break;
	outb(COM1_PORT + UART_DATA, (uint8_t)c);
}

void serial_write(const char *s, size_t n)
{
	if (!serial_present)
		return;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			put('\r');
		put(s[i]);
	}
}

int serial_read(void)
{
	if (!serial_present || !(inb(COM1_PORT + UART_LSR) & LSR_DATA_READY))
		return -1;
	return inb(COM1_PORT + UART_DATA);
}

void serial_rx_irq(int enable)
{
	outb(COM1_PORT + UART_IER, enable ? IER_RX_AVAILABLE : 0);
}
