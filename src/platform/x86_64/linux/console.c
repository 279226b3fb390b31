#include "linux/console.h"

#include <errno.h>

#include "cpu/cpu.h"
#include "cpu/rwlock.h"
#include "dev/serial.h"
#include "linux/syscall.h"
#include "mm/pmm.h"
#include "sched/sched.h"
#include "time/clock.h"

#define INPUT_RING 4096
#define UART_RBR 0 /* receive buffer (PC16550D datasheet, table II) */
#define UART_LSR 5
#define LSR_DATA_READY 0x01
#define CONSOLE_POLL_NS 2000000ull /* 2 ms: typing and pasted input feel immediate */
/* A serial line cannot close, so when the console is not a terminal, EOT (Ctrl-D, ASCII 4)
 * marks the end of the input: scripts/rtjs-run sends it when its own input ends. */
#define END_OF_INPUT 0x04
#define NO_EOF SIZE_MAX

static int tty;
static char ring[INPUT_RING];
static size_t head, tail; /* ring[tail..head) holds unread input */
static size_t eof_at = NO_EOF; /* the input ends when tail reaches this */
/* The ring, the UART's receiver, and whole writes (one thread's line is not cut into by
 * another's). An RW lock, taken for writing: the bytes come from and go to the program's
 * memory, which may fault. */
static struct rwlock lock = RWLOCK_INIT(CONSOLE, "console");

void console_init(int is_tty)
{
	tty = is_tty;
	/* QEMU quirk: its character backends hand the UART more input only after the guest
	 * reads RBR; input that arrived while the kernel reset the FIFO would otherwise wait
	 * forever. With no data ready, reading RBR loses nothing on real hardware either. */
	if (!(inb(COM1_PORT + UART_LSR) & LSR_DATA_READY))
		(void)inb(COM1_PORT + UART_RBR);
}

int console_is_tty(void)
{
	return tty;
}

/* Called locked. */
static void write_locked(const char *buf, size_t n)
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

void console_write(const char *buf, size_t n)
{
	write_lock(&lock);
	write_locked(buf, n);
	write_unlock(&lock);
}

long console_write_user(const char *buf, size_t n)
{
	char bounce[CONSOLE_BOUNCE];
	size_t done = 0;
	/* One hold of the lock for the whole write, as a Linux tty write holds its write lock:
	 * another thread's output never lands inside it. The copy may fault and be served
	 * under the lock (its rank is below the memory areas'). */
	write_lock(&lock);
	while (done < n) {
		size_t c = n - done < sizeof(bounce) ? n - done : sizeof(bounce);
		if (user_copy(bounce, buf + done, c) < 0)
			break;
		write_locked(bounce, c);
		done += c;
	}
	write_unlock(&lock);
	return done || n == 0 ? (long)done : -EFAULT;
}

/* Moves what the UART has received into the ring. Called locked. */
static void drain_uart(void)
{
	int c;
	while (eof_at == NO_EOF && head - tail < INPUT_RING && (c = serial_read()) >= 0) {
		if (!tty && c == END_OF_INPUT) {
			eof_at = head;
			break;
		}
		if (!tty && c == '\r')
			c = '\n';
		ring[head++ % INPUT_RING] = (char)c;
	}
}

static size_t pending_locked(void)
{
	drain_uart();
	return head - tail + (eof_at == tail); /* the end of input is readable too */
}

size_t console_pending(void)
{
	write_lock(&lock);
	size_t n = pending_locked();
	write_unlock(&lock);
	return n;
}

/* Lets other threads run (or the CPU halt) until deadline_ns at the latest. */
static void pause_until(uint64_t deadline_ns)
{
	if (sched_running())
		sched_sleep_until(deadline_ns);
	else
		__asm__ volatile("sti; hlt" ::: "memory"); /* until the next interrupt */
}

int console_wait(uint64_t deadline_ns)
{
	/* The UART is polled: look again every CONSOLE_POLL_NS. */
	while (!console_pending()) {
		uint64_t now = clock_monotonic_ns();
		if (now >= deadline_ns)
			return 0;
		pause_until(deadline_ns - now > CONSOLE_POLL_NS ? now + CONSOLE_POLL_NS : deadline_ns);
	}
	return 1;
}

void sleep_until(uint64_t deadline_ns)
{
	while (clock_monotonic_ns() < deadline_ns)
		pause_until(deadline_ns);
}

long console_read_user(char *buf, size_t n, int nonblock)
{
	if (n == 0)
		return 0;
	for (;;) {
		write_lock(&lock);
		if (pending_locked())
			break;
		write_unlock(&lock);
		if (nonblock)
			return -EAGAIN;
		console_wait(UINT64_MAX); /* another reader may take it first: look again */
	}
	long got = 0;
	if (eof_at == tail) {
		eof_at = NO_EOF; /* read() returns 0 once, as at the end of a file */
	} else {
		/* Bytes leave the ring only once they are in the program's memory: a copy that
		 * faults leaves them for the next read. Pieces end at the ring's wrap and at the
		 * program's page boundaries, so a buffer whose later page went away still gets the
		 * bytes that fit before it, as on Linux. */
		size_t end = eof_at < head ? eof_at : head;
		size_t want = end - tail < n ? end - tail : n;
		while ((size_t)got < want) {
			size_t at = tail % INPUT_RING;
			size_t piece = want - (size_t)got;
			if (piece > INPUT_RING - at)
				piece = INPUT_RING - at;
			size_t to_page = PAGE_SIZE - ((uintptr_t)(buf + got) & (PAGE_SIZE - 1));
			if (piece > to_page)
				piece = to_page;
			if (user_copy(buf + got, ring + at, piece) < 0)
				break;
			tail += piece;
			got += (long)piece;
		}
		if (got == 0)
			got = -EFAULT;
	}
	write_unlock(&lock);
	return got;
}
