/*
 * The ring-0 platform: the runtime program as the rtjs kernel runs it. It is an ordinary
 * Linux x86_64 program (glibc, Debian's libnode) whose system calls the kernel's Linux ABI
 * layer answers; because it runs in ring 0, port I/O is the in/out instruction itself and
 * physical memory is readable through the kernel's direct map. What only the kernel can do
 * (IRQs, DMA memory, power) goes through the rtjs-specific system calls.
 *
 * Waiting is a futex wait with a timeout, a ppoll on the console while input is wanted, or
 * one rtjs_wait for IRQs, console input and a wake-up while IRQs are attached. Where the
 * kernel has threads, console input has a reader thread of its own, so that Ctrl-C reaches
 * an app that is busy.
 */
#define _GNU_SOURCE
#include "platform/platform.h"
#include "platform/linux-common.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "rtjs-syscall.h"

/* While console input is wanted, a cross-thread wake-up is noticed within this time. */
#define INPUT_POLL_SLICE_NS (10ull * 1000 * 1000)

int platform_init(int *argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

const char *platform_options_help(void)
{
	return "";
}

void platform_shutdown(void)
{
	platform_console_input_stop();
}

/* ---- Console input: a thread of its own when the kernel has threads, else polled from
 * the waiting thread ---- */

static struct {
	platform_input_fn fn;
	void *ctx;
	_Atomic bool active;
	bool raw_set;
	struct termios saved;
	/* The reader thread: started once, it reads while `active` and idles otherwise. With
	 * it, input (Ctrl-C above all) arrives while JavaScript runs, as hosted. */
	_Atomic bool threaded;
} input;

/* Reads what the console has and hands it on; returns false at end of input. */
static bool pump_input(void)
{
	uint8_t buf[1024];
	ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0) {
		input.active = false;
		input.fn(input.ctx, NULL, 0, 1);
		return false;
	}
	input.fn(input.ctx, buf, (size_t)n, 0);
	return true;
}

static void input_thread(void *arg)
{
	(void)arg;
	for (;;) {
		struct timespec ts = { 0, (long)INPUT_POLL_SLICE_NS };
		struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
		if (!atomic_load(&input.active)) {
			nanosleep(&ts, NULL);
			continue;
		}
		if (ppoll(&p, 1, &ts, NULL) > 0 && atomic_load(&input.active))
			pump_input();
	}
}

/* ---- Waiting ---- */

/* The futex word of linux-common.h; while IRQs are attached, the kernel's rtjs_wait watches
 * it too. */
struct platform_waiter {
	struct waiter_word word;
};

static unsigned irqs_attached;
static void wait_events(struct platform_waiter *w, uint64_t deadline_ns);

struct platform_waiter *platform_waiter_create(void)
{
	return calloc(1, sizeof(struct platform_waiter));
}

void platform_waiter_destroy(struct platform_waiter *w)
{
	free(w);
}

static struct timespec to_timespec(uint64_t ns)
{
	return (struct timespec){ .tv_sec = (time_t)(ns / NS_PER_SEC), .tv_nsec = (long)(ns % NS_PER_SEC) };
}

static void poll_input_until(struct platform_waiter *w, uint64_t deadline_ns)
{
	while (!atomic_load(&w->word.woken) && input.active) {
		uint64_t now = platform_monotonic_ns();
		if (now >= deadline_ns)
			return;
		uint64_t slice = deadline_ns - now;
		if (slice > INPUT_POLL_SLICE_NS)
			slice = INPUT_POLL_SLICE_NS;
		struct timespec ts = to_timespec(slice);
		struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
		if (ppoll(&p, 1, &ts, NULL) > 0 && pump_input())
			return; /* the input callback woke us */
	}
}

void platform_wait(struct platform_waiter *w, uint64_t deadline_ns)
{
	if (!atomic_load(&w->word.woken)) {
		if (!irqs_attached && input.active && !atomic_load(&input.threaded)) {
			poll_input_until(w, deadline_ns); /* looks at `woken` between polls */
		} else {
			atomic_store(&w->word.sleeping, 1);
			if (!atomic_load(&w->word.woken)) {
				if (irqs_attached)
					wait_events(w, deadline_ns);
				else
					waiter_sleep(&w->word, deadline_ns);
			}
			atomic_store(&w->word.sleeping, 0);
		}
	}
	atomic_store(&w->word.woken, 0);
}

void platform_wake(struct platform_waiter *w)
{
	waiter_wake(&w->word);
}

/* ---- Console output ---- */

int platform_console_input_concurrent(void)
{
	return atomic_load(&input.threaded); /* else the engine polls the console between tasks */
}

int platform_console_is_terminal(void)
{
	return isatty(STDIN_FILENO);
}

int platform_console_input_start(platform_input_fn on_input, void *ctx, int raw)
{
	if (input.active)
		return -EBUSY;
	input.fn = on_input;
	input.ctx = ctx;
	input.active = true;
	if (!atomic_load(&input.threaded) && platform_thread_start(0, input_thread, NULL) == 0)
		atomic_store(&input.threaded, true);
	if (raw && tcgetattr(STDIN_FILENO, &input.saved) == 0) {
		struct termios t = input.saved;
		t.c_lflag &= ~(tcflag_t)(ECHO | ICANON | ISIG | IEXTEN);
		t.c_iflag &= ~(tcflag_t)(ICRNL | IXON);
		input.raw_set = tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0;
	}
	return 0;
}

void platform_console_input_stop(void)
{
	input.active = false;
	if (input.raw_set) {
		tcsetattr(STDIN_FILENO, TCSANOW, &input.saved);
		input.raw_set = false;
	}
}

/* ---- Devices: ring 0 makes port I/O an instruction ---- */

uint32_t platform_port_in(uint16_t port, unsigned width)
{
	uint32_t v = 0;
	if (width == 1) {
		uint8_t b;
		__asm__ volatile("inb %1, %0" : "=a"(b) : "Nd"(port));
		v = b;
	} else if (width == 2) {
		uint16_t h;
		__asm__ volatile("inw %1, %0" : "=a"(h) : "Nd"(port));
		v = h;
	} else {
		__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	}
	return v;
}

void platform_port_out(uint16_t port, unsigned width, uint32_t value)
{
	if (width == 1)
		__asm__ volatile("outb %0, %1" : : "a"((uint8_t)value), "Nd"(port));
	else if (width == 2)
		__asm__ volatile("outw %0, %1" : : "a"((uint16_t)value), "Nd"(port));
	else
		__asm__ volatile("outl %0, %1" : : "a"(value), "Nd"(port));
}

/* On the kernel, rtjs_map_device says where (device registers are mapped uncached);
 * run on Linux the call is unknown and the direct-map address is the answer. */
void *platform_phys_map(uint64_t phys, size_t len)
{
	if (phys + len < phys)
		return NULL;
	/* Kernel addresses are negative as a long: only -1 (errno set) is a failure. */
	long va = syscall(SYS_rtjs_map_device, phys, len);
	if (va == -1 && errno == ENOSYS)
		return (void *)(uintptr_t)(RTJS_DIRECT_MAP_BASE + phys);
	return va == -1 ? NULL : (void *)va;
}

int platform_framebuffer(struct platform_framebuffer *fb)
{
	struct rtjs_framebuffer k;
	if (syscall(SYS_rtjs_framebuffer, &k) != 0)
		return -ENODEV; /* none, or run on Linux (-ENOSYS) */
	*fb = (struct platform_framebuffer){
		.phys = k.phys, .pitch = k.pitch, .width = k.width, .height = k.height, .bpp = k.bpp,
		.red_shift = k.red_shift, .red_bits = k.red_bits, .green_shift = k.green_shift,
		.green_bits = k.green_bits, .blue_shift = k.blue_shift, .blue_bits = k.blue_bits,
	};
	return 0;
}

/* ---- DMA and IRQs: the rtjs system calls (on Linux they answer -ENOSYS) ---- */

int platform_dma_alloc(size_t len, void **virt, uint64_t *phys)
{
	long va = syscall(SYS_rtjs_dma_alloc, len, phys); /* a kernel address: negative as a long */
	if (va == -1)
		return -errno;
	*virt = (void *)va;
	return 0;
}

void platform_dma_free(void *virt, size_t len)
{
	syscall(SYS_rtjs_dma_free, virt, len);
}

#define IRQ_LINES (RTJS_MSI_FIRST + RTJS_MSI_COUNT) /* the lines, then the MSI vectors */

static struct {
	platform_irq_fn fn;
	void *ctx;
} irqs[IRQ_LINES];

_Static_assert(PLATFORM_MSI_FIRST == RTJS_MSI_FIRST && PLATFORM_MSI_COUNT == RTJS_MSI_COUNT,
	       "the platform's MSI numbers are the kernel's");

int platform_msi_alloc(unsigned cpu, unsigned *irq, uint64_t *address, uint32_t *data)
{
	long rc = syscall(SYS_rtjs_msi_alloc, cpu, address, data);
	if (rc < 0)
		return errno == ENOSYS ? -ENODEV : -errno;
	*irq = (unsigned)rc;
	return 0;
}

void platform_msi_free(unsigned irq)
{
	platform_irq_detach(irq);
	syscall(SYS_rtjs_msi_free, irq);
}

int platform_irq_attach(unsigned irq, platform_irq_fn handler, void *ctx)
{
	if (irq >= IRQ_LINES)
		return -EINVAL;
	if (syscall(SYS_rtjs_irq_attach, irq) < 0)
		return -errno;
	irqs[irq].fn = handler;
	irqs[irq].ctx = ctx;
	irqs_attached++;
	return 0;
}

void platform_irq_detach(unsigned irq)
{
	if (irq >= IRQ_LINES || !irqs[irq].fn)
		return;
	syscall(SYS_rtjs_irq_detach, irq);
	irqs[irq].fn = NULL;
	irqs_attached--;
}

void platform_irq_ack(unsigned irq)
{
	syscall(SYS_rtjs_irq_ack, irq);
}

/* Hands the IRQs that fired to their handlers (which post tasks and wake the loop). */
static void dispatch_irqs(uint64_t fired)
{
	for (unsigned irq = 0; irq < IRQ_LINES; irq++)
		if ((fired >> irq & 1) && irqs[irq].fn)
			irqs[irq].fn(irqs[irq].ctx, irq);
}

/* While IRQs are attached, one kernel wait covers them, the console and the deadline. */
static void wait_events(struct platform_waiter *w, uint64_t deadline_ns)
{
	while (!atomic_load(&w->word.woken)) {
		uint64_t fired = 0;
		/* &w->word.woken: platform_wake's FUTEX_WAKE ends this wait too. */
		long ready = syscall(SYS_rtjs_wait, deadline_ns, input.active ? RTJS_WAIT_CONSOLE : 0, &fired,
				     &w->word.woken);
		if (ready < 0 || ready == 0)
			return;
		dispatch_irqs(fired);
		if ((ready & RTJS_WAIT_CONSOLE) && input.active)
			pump_input();
	}
}

/* On the kernel these end the machine (ACPI); run on Linux the calls are unknown, and the
 * program simply exits with the status. */
void platform_poweroff(int status)
{
	platform_shutdown();
	fflush(NULL);
	syscall(SYS_rtjs_power, RTJS_POWER_OFF, status);
	exit(status);
}

void platform_reboot(void)
{
	platform_shutdown();
	fflush(NULL);
	syscall(SYS_rtjs_power, RTJS_POWER_REBOOT, 0);
	exit(0);
}
