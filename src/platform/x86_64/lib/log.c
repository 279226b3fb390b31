#include "lib/log.h"
#include "cpu/spinlock.h"
#include "dev/serial.h"
#include "dev/vga.h"
#include "lib/format.h"

#define LOG_LINE_MAX 512
#define EARLY_LOG_MAX 8192 /* the lines before klog_route(): a few dozen at most */

static spinlock_t log_lock = SPINLOCK_INIT(LOG, "log");
static int vga_on = 1;
static int panic_mode;
static int routed;       /* klog_route() has chosen where the log goes */
static int to_com2;      /* the log goes to COM2 ... */
static int console_too;  /* ... and to the console (COM1) as well */
static char early[EARLY_LOG_MAX];
static size_t early_len;

/* Writes to where the log goes; before klog_route(), into the early buffer. */
static void out(const char *s, size_t n)
{
	if (!routed) {
		if (n <= EARLY_LOG_MAX - early_len) {
			for (size_t i = 0; i < n; i++)
				early[early_len + i] = s[i];
			early_len += n;
			return;
		}
		routed = 1; /* too much before routing: the console gets it all */
		serial_write(early, early_len);
	}
	if (to_com2)
		serial_com2_write(s, n);
	if (!to_com2 || console_too)
		serial_write(s, n);
}

static void flush_early(void)
{
	size_t n = early_len;
	early_len = 0;
	routed = 1;
	out(early, n);
}

void klog_route(int com2)
{
	uint64_t f = spin_lock(&log_lock);
	to_com2 = com2 && serial_com2_init();
	flush_early();
	spin_unlock(&log_lock, f);
}

void klog_console_too(void)
{
	console_too = 1;
}

void klog_write(const char *s, size_t n)
{
	if (panic_mode) {
		out(s, n);
		if (vga_on)
			vga_write(s, n);
		return;
	}
	uint64_t f = spin_lock(&log_lock);
	out(s, n);
	if (vga_on)
		vga_write(s, n);
	spin_unlock(&log_lock, f);
}

void klog_panic_mode(void)
{
	panic_mode = 1;
	console_too = 1;
	if (!routed)
		flush_early(); /* a panic before routing: everything to the console */
}

void klog_vga_off(void)
{
	vga_on = 0;
}

void kvprintf(const char *fmt, va_list ap)
{
	char buf[LOG_LINE_MAX];
	int n = kvsnprintf(buf, sizeof buf, fmt, ap);
	klog_write(buf, n < (int)sizeof buf ? (size_t)n : sizeof buf - 1);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}
