#include "lib/log.h"
#include "cpu/spinlock.h"
#include "dev/serial.h"
#include "dev/vga.h"
#include "lib/format.h"

#define LOG_LINE_MAX 512

static spinlock_t log_lock = SPINLOCK_INIT;
static int vga_on = 1;
static int panic_mode;

void klog_write(const char *s, size_t n)
{
	if (panic_mode) {
		serial_write(s, n);
		if (vga_on)
			vga_write(s, n);
		return;
	}
	uint64_t f = spin_lock(&log_lock);
	serial_write(s, n);
	if (vga_on)
		vga_write(s, n);
	spin_unlock(&log_lock, f);
}

void klog_panic_mode(void)
{
	panic_mode = 1;
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
