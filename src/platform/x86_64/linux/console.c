#include "linux/console.h"

#include <errno.h>

#include "dev/serial.h"
#include "time/clock.h"

#define INPUT_RING 4096

static int tty;
static char ring[INPUT_RING];
static size_t head, tail; /* ring[tail..head) holds unread input */

void console_init(int is_tty)
{
	tty = is_tty;
}

int console_is_tty(void)
{
	return tty;
}

void console_write(const char *buf, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			serial_write(buf + start, i - start);
			serial_write("\r\n", 2);
			start = i + 1;
		}
	}
	serial_write(buf + start, n - start);
}

/* Moves what the UART has received into the ring. */
static void drain_uart(void)
{
	int c;
	while (head - tail < INPUT_RING && (c = serial_read()) >= 0) {
		if (!tty && c == '\r')
			c = '\n';
		ring[head++ % INPUT_RING] = (char)c;
	}
}

size_t console_pending(void)
{
	drain_uart();
	return head - tail;
}

static void idle(void)
{
	/* The local APIC timer ticks (time/timer.h) bound how long this sleeps. */
	__asm__ volatile("sti; hlt" ::: "memory");
}

int console_wait(uint64_t deadline_ns)
{
	while (!console_pending()) {
		if (clock_monotonic_ns() >= deadline_ns)
			return 0;
		idle();
	}
	return 1;
}

void sleep_until(uint64_t deadline_ns)
{
	while (clock_monotonic_ns() < deadline_ns)
		idle();
}

long console_read(char *buf, size_t n, int nonblock)
{
	if (n == 0)
		return 0;
	if (!console_pending()) {
		if (nonblock)
			return -EAGAIN;
		console_wait(UINT64_MAX);
	}
	size_t got = 0;
	while (got < n && tail < head)
		buf[got++] = ring[tail++ % INPUT_RING];
	return (long)got;
}
