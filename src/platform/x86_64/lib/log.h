/* The kernel log: COM1 serial (the console), or COM2 with `klog=com2` on the command line
 * so that the console carries only the program's output; mirrored on the VGA text screen
 * while it is usable. Lines before klog_route() are held and then written where it says. */
#ifndef RTJS_LOG_H
#define RTJS_LOG_H
#include <stdarg.h>
#include <stddef.h>

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);
/* Raw bytes to the log (no formatting). Safe with interrupts on or off. */
void klog_write(const char *s, size_t n);
/* Chooses where the log goes (com2: 1 for COM2 if present, else COM1) and writes what was
 * held until now. Called once, as soon as the command line is known. */
void klog_route(int com2);
/* From now on the log goes to the console as well: for reports the user must see (a fault
 * that ends the program). A panic does this itself. */
void klog_console_too(void);
/* Stop mirroring to VGA (e.g. once the hosted program owns the screen). */
void klog_vga_off(void);

/* From now on write without taking the log lock (the fatal path: the interrupted code
 * may hold it). */
void klog_panic_mode(void);

/* Prints "PANIC: <message>" with a backtrace and stops the machine with failing status. */
void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#define KASSERT(cond)                                                              \
	do {                                                                       \
		if (!(cond))                                                       \
			panic("assertion '%s' failed at %s:%d", #cond, __FILE__, __LINE__); \
	} while (0)

#endif
