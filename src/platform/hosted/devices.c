/*
 * The hosted platform's devices: platform.h's port I/O, physical memory, DMA and IRQ
 * functions on top of the simulated PC in sim/.
 *
 * Threads: engine threads call port I/O (each device locks itself); one device thread runs
 * the machine's timers, delivers IRQs to attached handlers and types scripted keys; the SDL
 * window has its own thread (sim/display.c).
 */
#define _GNU_SOURCE
#include "devices.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "display.h"
#include "keymap.h"
#include "keyscript.h"
#include "pc.h"
#include "platform/platform.h"
#include "trace.h"
#include "disk.h"
#include "net.h"

#define GUEST_RAM_SIZE SIM_PC_RAM_SIZE
#define DMA_POOL_BASE (1u << 20) /* below 1 MiB: BIOS area and the VGA window */
#define PAGE_SIZE 4096u
#define DMA_PAGES ((GUEST_RAM_SIZE - DMA_POOL_BASE) / PAGE_SIZE)
#define KEY_INTERVAL_NS 2000000ull /* between scripted key events once the guest is ready */
#define IDLE_POLL_NS 2000000ull    /* re-check scripted keys and serial input */
#define UART_INPUT_QUEUE 65536
#define SCREENSHOT_POLL_NS 100000000ull /* how soon SIGUSR1 is answered */
/* The virtio functions and where "firmware" puts their BARs (I/O, then the MSI-X table). */
struct irq_slot {
	platform_irq_fn fn;
	void *ctx;
	int level;  /* the line as the devices drive it */
	int masked; /* delivered, waiting for platform_irq_ack */
};

static struct {
	int up;
	struct sim_pc pc;
	struct disk_config disk_cfg;
	uint64_t disk_sectors;
	struct net_config net_cfg;

	pthread_t thread;
	pthread_mutex_t lock; /* irq slots, stop, kick */
	pthread_mutex_t input_lock; /* serial input queue */
	pthread_cond_t cond;
	int stop, kick;
	const char *exit_reason; /* the machine is to end: guest reset, window closed */
	struct irq_slot irq[SIM_IRQ_LINES + PLATFORM_MSI_COUNT]; /* lines, then MSI vectors */
	int msi_allocated[PLATFORM_MSI_COUNT];
	int delivering; /* line whose handler runs now, or -1 */

	struct keyscript keys;
	size_t key_pos;
	uint64_t key_not_before;

	uint8_t uart_in[UART_INPUT_QUEUE];
	size_t uart_in_head, uart_in_count;
	void (*uart_out)(void *ctx, uint8_t byte);
	void *uart_out_ctx;
	FILE *serial_log;

	pthread_mutex_t dma_lock;
	uint8_t dma_used[DMA_PAGES]; /* pages; 2 marks the first page of an allocation */

	const char *screenshot;
	int headless, window;
	void (*on_quit)(void *ctx);
	void *quit_ctx;
} sim = { .lock = PTHREAD_MUTEX_INITIALIZER, .input_lock = PTHREAD_MUTEX_INITIALIZER, .dma_lock = PTHREAD_MUTEX_INITIALIZER, .delivering = -1 };

/* ---- options -------------------------------------------------------------------- */

struct options {
	int headless, trace, no_pci_testdev, rng;
	const char *keys, *screenshot, *serial_log, *serial_input, *net, *virtio_fault, *net_faults, *disk;
	const char *framebuffer;
};

/* Matches "--name VALUE" or "--name=VALUE": 1 with *value set, -1 if the value is missing,
 * 0 for another argument. *i advances past what was consumed. */
static int option_value(int argc, char **argv, int *i, const char *name, const char **value)
{
	size_t n = strlen(name);
	if (strncmp(argv[*i], name, n) != 0)
		return 0;
	if (argv[*i][n] == '=') {
		*value = argv[*i] + n + 1;
		return 1;
	}
	if (argv[*i][n] != '\0')
		return 0;
	if (*i + 1 >= argc)
		return -1;
	*value = argv[++*i];
	return 1;
}

const char *sim_devices_options_help(void)
{
	return "Simulator options (before the app):\n"
	       "  --headless          no window: the screen is only in memory\n"
	       "  --framebuffer WxH[xBPP] a linear framebuffer (32 or 24 bpp) instead of VGA text, as on UEFI\n"
	       "  --keys SCRIPT       type SCRIPT on the simulated keyboard (sim/README.md)\n"
	       "  --screenshot FILE   save the screen as PNG at exit (and on SIGUSR1)\n"
	       "  --serial-log FILE   append what the guest writes to COM1 to FILE\n"
	       "  --serial-input TEXT bytes arriving on COM1 at start\n"
	       "  --trace             log device accesses to standard error\n"
	       "  --no-pci-testdev    leave out the PCI test device\n";
}

/* Simulator options come before the app: from the first argument that is not an option
 * (the app's path) or "--" on, everything is left for the runtime and the app. */
static int parse_options(int *argc, char **argv, struct options *o)
{
	static const char *const valued[] = { "--keys", "--screenshot", "--serial-log", "--serial-input", "--net",
					       "--virtio-fault", "--net-faults", "--disk", "--framebuffer" };
	int out = 1, rest = 0;
	for (int i = 1; i < *argc; i++) {
		rest = rest || argv[i][0] != '-' || !strcmp(argv[i], "--");
		if (rest) {
			argv[out++] = argv[i];
			continue;
		}
		if (!strcmp(argv[i], "--headless")) { o->headless = 1; continue; }
		if (!strcmp(argv[i], "--trace")) { o->trace = 1; continue; }
		if (!strcmp(argv[i], "--no-pci-testdev")) { o->no_pci_testdev = 1; continue; }
		if (!strcmp(argv[i], "--rng")) { o->rng = 1; continue; }
		const char **slots[] = { &o->keys, &o->screenshot, &o->serial_log, &o->serial_input, &o->net,
					 &o->virtio_fault, &o->net_faults, &o->disk, &o->framebuffer };
		int matched = 0;
		for (unsigned k = 0; k < sizeof valued / sizeof *valued && !matched; k++) {
			matched = option_value(*argc, argv, &i, valued[k], slots[k]);
			if (matched < 0) {
				fprintf(stderr, "rtjs-sim: %s needs a value\n", valued[k]);
				return -EINVAL;
			}
		}
		if (!matched)
			argv[out++] = argv[i];
	}
	argv[out] = NULL;
	*argc = out;
	return 0;
}

/* ---- IRQ delivery --------------------------------------------------------------- */

/* Machine callback, under the machine's IRQ lock: record and let the device thread deliver,
 * so that handlers never run with a device locked. */
static void on_irq_changed(void *ctx, unsigned line, int level)
{
	(void)ctx;
	pthread_mutex_lock(&sim.lock);
	sim.irq[line].level = level;
	sim.kick = 1;
	pthread_cond_signal(&sim.cond);
	pthread_mutex_unlock(&sim.lock);
}

static void on_timers_changed(void *ctx)
{
	(void)ctx;
	pthread_mutex_lock(&sim.lock);
	sim.kick = 1;
	pthread_cond_signal(&sim.cond);
	pthread_mutex_unlock(&sim.lock);
}

/* Called with sim.lock held; returns with it held. A line is delivered once per ack, like a
 * masked level-triggered input: if it is still high after the ack, it fires again. An MSI
 * vector's "level" is a message waiting; delivering takes it. */
static void deliver_irqs(void)
{
	for (unsigned line = 0; line < SIM_IRQ_LINES + PLATFORM_MSI_COUNT; line++) {
		struct irq_slot *s = &sim.irq[line];
		if (!s->level || !s->fn || s->masked)
			continue;
		s->masked = 1;
		if (line >= PLATFORM_MSI_FIRST)
			s->level = 0;
		platform_irq_fn fn = s->fn;
		void *ctx = s->ctx;
		sim.delivering = (int)line;
		pthread_mutex_unlock(&sim.lock);
		fn(ctx, line);
		pthread_mutex_lock(&sim.lock);
		sim.delivering = -1;
		pthread_cond_broadcast(&sim.cond);
	}
}

/* ---- MSI: x86 message format (Intel SDM vol. 3A, 10.11): address 0xFEE00000 | APIC id << 12
 * (the CPU index here), data = the vector; vector MSI_VECTOR_BASE + n is MSI number n. ---- */
_Static_assert(SIM_IRQ_LINES == PLATFORM_MSI_FIRST, "MSI numbers follow the machine's lines");
#define MSI_ADDRESS_BASE 0xfee00000u
#define MSI_ADDRESS_MASK 0xfff00000u
#define MSI_APIC_ID_SHIFT 12
#define MSI_APIC_ID_MAX 0xff
#define MSI_VECTOR_BASE 0x60
#define MSI_VECTOR_MASK 0xff

int platform_msi_alloc(unsigned cpu, unsigned *irq, uint64_t *address, uint32_t *data)
{
	if (cpu > MSI_APIC_ID_MAX)
		return -EINVAL;
	pthread_mutex_lock(&sim.lock);
	unsigned n = 0;
	while (n < PLATFORM_MSI_COUNT && sim.msi_allocated[n])
		n++;
	if (n < PLATFORM_MSI_COUNT)
		sim.msi_allocated[n] = 1;
	pthread_mutex_unlock(&sim.lock);
	if (n == PLATFORM_MSI_COUNT)
		return -ENOSPC;
	*irq = PLATFORM_MSI_FIRST + n;
	*address = MSI_ADDRESS_BASE | (uint64_t)cpu << MSI_APIC_ID_SHIFT;
	*data = MSI_VECTOR_BASE + n;
	return 0;
}

void platform_msi_free(unsigned irq)
{
	if (irq < PLATFORM_MSI_FIRST || irq >= PLATFORM_MSI_FIRST + PLATFORM_MSI_COUNT)
		return;
	platform_irq_detach(irq);
	pthread_mutex_lock(&sim.lock);
	sim.msi_allocated[irq - PLATFORM_MSI_FIRST] = 0;
	sim.irq[irq].level = 0;
	pthread_mutex_unlock(&sim.lock);
}

/* A device's MSI write (called under its lock): a message for an allocated vector waits in
 * its slot for the device thread; anything else is traced and dropped, as a write to an
 * address no LAPIC decodes would be. */
static void msi_send(void *ctx, uint64_t address, uint32_t data)
{
	(void)ctx;
	unsigned n = (data & MSI_VECTOR_MASK) - MSI_VECTOR_BASE;
	pthread_mutex_lock(&sim.lock);
	int ok = (address & MSI_ADDRESS_MASK) == MSI_ADDRESS_BASE && n < PLATFORM_MSI_COUNT && sim.msi_allocated[n];
	if (ok) {
		sim.irq[PLATFORM_MSI_FIRST + n].level = 1;
		sim.kick = 1;
		pthread_cond_signal(&sim.cond);
	}
	pthread_mutex_unlock(&sim.lock);
	if (!ok)
		sim_trace("msi", "message 0x%x to 0x%llx matches no allocated vector", data, (unsigned long long)address);
}

static int irq_valid(unsigned irq)
{
	if (irq < SIM_IRQ_LINES)
		return 1;
	return irq >= PLATFORM_MSI_FIRST && irq < PLATFORM_MSI_FIRST + PLATFORM_MSI_COUNT &&
	       sim.msi_allocated[irq - PLATFORM_MSI_FIRST];
}

int platform_irq_attach(unsigned irq, platform_irq_fn handler, void *ctx)
{
	if (!irq_valid(irq) || !handler)
		return -EINVAL;
	pthread_mutex_lock(&sim.lock);
	int rc = sim.irq[irq].fn ? -EBUSY : 0;
	if (!rc) {
		sim.irq[irq].fn = handler;
		sim.irq[irq].ctx = ctx;
		sim.irq[irq].masked = 0;
		sim.kick = 1;
		pthread_cond_signal(&sim.cond);
	}
	pthread_mutex_unlock(&sim.lock);
	return rc;
}

/* Returns once the handler is no longer running (unless called from the handler itself). */
void platform_irq_detach(unsigned irq)
{
	if (irq >= SIM_IRQ_LINES + PLATFORM_MSI_COUNT)
		return;
	pthread_mutex_lock(&sim.lock);
	sim.irq[irq].fn = NULL;
	sim.irq[irq].ctx = NULL;
	while (sim.delivering == (int)irq && sim.up && !pthread_equal(pthread_self(), sim.thread))
		pthread_cond_wait(&sim.cond, &sim.lock);
	pthread_mutex_unlock(&sim.lock);
}

void platform_irq_ack(unsigned irq)
{
	if (irq >= SIM_IRQ_LINES + PLATFORM_MSI_COUNT)
		return;
	pthread_mutex_lock(&sim.lock);
	sim.irq[irq].masked = 0;
	sim.kick = 1;
	pthread_cond_signal(&sim.cond);
	pthread_mutex_unlock(&sim.lock);
}

/* ---- scripted keys and serial input --------------------------------------------- */

static int irq_attached(unsigned line)
{
	pthread_mutex_lock(&sim.lock);
	int attached = sim.irq[line].fn != NULL;
	pthread_mutex_unlock(&sim.lock);
	return attached;
}

/* Types the next scripted event when the guest is ready for it: keyboard port and IRQ 1
 * enabled, a handler attached, and everything typed so far read. Runs on the device thread
 * (the only one touching the script) without sim.lock: the keyboard raises IRQ 1. */
static void feed_keys(uint64_t now)
{
	if (sim.key_pos >= sim.keys.count || now < sim.key_not_before || !irq_attached(PS2_KBD_IRQ))
		return;
	const struct keyscript_event *ev = &sim.keys.events[sim.key_pos];
	if (ev->kind == KEYSCRIPT_WAIT) {
		sim.key_pos++;
		sim.key_not_before = now + ev->wait_ms * NS_PER_MS;
		return;
	}
	if (!ps2_kbd_ready(&sim.pc.ps2) || !ps2_idle(&sim.pc.ps2))
		return;
	uint8_t bytes[2];
	unsigned len = keymap_set1(ev->key, bytes);
	sim.key_pos++;
	sim.key_not_before = now + KEY_INTERVAL_NS;
	ps2_key_event(&sim.pc.ps2, bytes, len, ev->kind == KEYSCRIPT_DOWN);
}

/* C-style escapes of --serial-input: \n \r \t \e \\; anything else is taken as is. */
static void queue_serial_text(const char *text)
{
	for (const char *p = text; *p; p++) {
		uint8_t byte = (uint8_t)*p;
		if (*p == '\\' && p[1]) {
			p++;
			byte = *p == 'n' ? '\n' : *p == 'r' ? '\r' : *p == 't' ? '\t' : *p == 'e' ? 27 : (uint8_t)*p;
		}
		sim_devices_uart_input(&byte, 1);
	}
}

/* Lock order: input_lock, then device locks (which lead to sim.lock through IRQs); never
 * input_lock under sim.lock. Returns how many bytes still wait. */
static size_t feed_uart(void)
{
	/* Input waits for a driver: bytes typed ahead would be flushed by its initialisation. */
	int driver = irq_attached(UART_COM1_IRQ);
	pthread_mutex_lock(&sim.input_lock);
	while (driver && sim.uart_in_count) {
		size_t n = sim.uart_in_count, room = UART_INPUT_QUEUE - sim.uart_in_head;
		if (n > room)
			n = room;
		size_t took = uart_receive(&sim.pc.uart, sim.uart_in + sim.uart_in_head, n);
		sim.uart_in_head = (sim.uart_in_head + took) % UART_INPUT_QUEUE;
		sim.uart_in_count -= took;
		if (took < n)
			break;
	}
	size_t left = sim.uart_in_count;
	pthread_mutex_unlock(&sim.input_lock);
	return left;
}

size_t sim_devices_uart_input(const uint8_t *bytes, size_t len)
{
	pthread_mutex_lock(&sim.input_lock);
	size_t n = 0;
	for (; n < len && sim.uart_in_count < UART_INPUT_QUEUE; n++)
		sim.uart_in[(sim.uart_in_head + sim.uart_in_count++) % UART_INPUT_QUEUE] = bytes[n];
	pthread_mutex_unlock(&sim.input_lock);
	pthread_mutex_lock(&sim.lock);
	sim.kick = 1;
	pthread_cond_signal(&sim.cond);
	pthread_mutex_unlock(&sim.lock);
	return n;
}

static void uart_output(void *ctx, uint8_t byte)
{
	(void)ctx;
	if (sim.serial_log) {
		fputc(byte, sim.serial_log);
		if (byte == '\n')
			fflush(sim.serial_log);
	}
	void (*fn)(void *, uint8_t) = sim.uart_out;
	if (fn)
		fn(sim.uart_out_ctx, byte);
}

void sim_devices_uart_set_output(void (*fn)(void *ctx, uint8_t byte), void *ctx)
{
	/* Swapped under the UART's lock, which is also held while bytes are sent. */
	pthread_mutex_lock(&sim.pc.uart.lock);
	sim.uart_out = fn;
	sim.uart_out_ctx = ctx;
	pthread_mutex_unlock(&sim.pc.uart.lock);
}

/* ---- screenshots on request (SIGUSR1) ---------------------------------------------- */

static volatile sig_atomic_t screenshot_wanted;

static void on_sigusr1(int sig)
{
	(void)sig;
	screenshot_wanted = 1;
}

/* With --screenshot, `kill -USR1` saves the screen to that file at once (and it is saved
 * again at exit). The handler only sets a flag; the device thread writes the file. */
static void screenshot_signal_install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigusr1;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
}

static void screenshot_if_wanted(void)
{
	if (!screenshot_wanted || !sim.screenshot)
		return;
	screenshot_wanted = 0;
	int rc = sim_pc_save_screen(&sim.pc, sim.screenshot);
	if (rc)
		fprintf(stderr, "rtjs-sim: screenshot %s: %s\n", sim.screenshot, strerror(-rc));
}

/* ---- the device thread ---------------------------------------------------------- */

static uint64_t next_wakeup(uint64_t now, size_t uart_pending)
{
	uint64_t next = sim_timers_next_deadline(&sim.pc.m);
	int polling = uart_pending || sim.key_pos < sim.keys.count;
	if (polling) {
		uint64_t poll = now + IDLE_POLL_NS;
		if (sim.key_not_before > poll)
			poll = sim.key_not_before;
		if (poll < next)
			next = poll;
	}
	if (sim.screenshot && now + SCREENSHOT_POLL_NS < next)
		next = now + SCREENSHOT_POLL_NS;
	return next;
}

static void wait_until(uint64_t deadline)
{
	if (deadline == UINT64_MAX) {
		pthread_cond_wait(&sim.cond, &sim.lock);
		return;
	}
	struct timespec ts = { (time_t)(deadline / NS_PER_SEC), (long)(deadline % NS_PER_SEC) };
	pthread_cond_timedwait(&sim.cond, &sim.lock, &ts);
}

/* Ends the hosted machine with status 0 (as platform_reboot/poweroff would), on the device
 * thread. _exit rather than exit: the engine threads are still running V8, which exit()'s
 * destructors would tear down under them (seen: SIGSEGV). */
static void machine_exit(const char *reason)
{
	fprintf(stderr, "rtjs-sim: %s\n", reason);
	platform_shutdown();
	fflush(NULL);
	_exit(0);
}

/* Asks the device thread to end the machine; callable under device locks. */
static void request_exit(const char *reason)
{
	pthread_mutex_lock(&sim.lock);
	sim.exit_reason = reason;
	sim.kick = 1;
	pthread_cond_signal(&sim.cond);
	pthread_mutex_unlock(&sim.lock);
}

/* Runs under the 8042's lock. */
static void on_guest_reset(void *ctx)
{
	(void)ctx;
	request_exit("the guest reset the machine (8042 reset line)");
}

static void *device_thread(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&sim.lock);
	while (!sim.stop) {
		if (sim.exit_reason) {
			const char *reason = sim.exit_reason;
			pthread_mutex_unlock(&sim.lock);
			machine_exit(reason);
		}
		sim.kick = 0;
		deliver_irqs();
		uint64_t now = sim_now_ns(&sim.pc.m);
		pthread_mutex_unlock(&sim.lock);
		sim_timers_run(&sim.pc.m, now);
		feed_keys(now);
		screenshot_if_wanted();
		size_t uart_pending = feed_uart();
		pthread_mutex_lock(&sim.lock);
		if (sim.kick || sim.stop)
			continue;
		wait_until(next_wakeup(now, uart_pending));
	}
	pthread_mutex_unlock(&sim.lock);
	return NULL;
}

/* ---- platform.h: ports, memory, DMA --------------------------------------------- */

uint32_t platform_port_in(uint16_t port, unsigned width)
{
	if (!sim.up)
		return 0xffffffffu;
	return sim_port_in(&sim.pc.m, port, width);
}

void platform_port_out(uint16_t port, unsigned width, uint32_t value)
{
	if (sim.up)
		sim_port_out(&sim.pc.m, port, width, value);
}

void *platform_phys_map(uint64_t phys, size_t len)
{
	return sim.up ? sim_phys_ptr(&sim.pc.m, phys, len) : NULL;
}

int platform_framebuffer(struct platform_framebuffer *fb)
{
	if (!sim.up || !sim.pc.has_fb)
		return -ENODEV;
	/* x8r8g8b8 or r8g8b8 (sim/framebuffer.h) */
	const struct fb_state *f = &sim.pc.fb;
	*fb = (struct platform_framebuffer){ .phys = FB_PHYS, .pitch = f->pitch, .width = f->width,
		.height = f->height, .bpp = (uint8_t)f->bpp, .red_shift = 16, .red_bits = 8, .green_shift = 8,
		.green_bits = 8, .blue_shift = 0, .blue_bits = 8 };
	return 0;
}

/* First fit over 4 KiB pages of guest RAM above 1 MiB. */
int platform_dma_alloc(size_t len, void **virt, uint64_t *phys)
{
	if (!sim.up || len == 0 || len > GUEST_RAM_SIZE)
		return len ? -ENODEV : -EINVAL;
	size_t pages = (len + PAGE_SIZE - 1) / PAGE_SIZE, run = 0;
	pthread_mutex_lock(&sim.dma_lock);
	for (size_t p = 0; p < DMA_PAGES; p++) {
		run = sim.dma_used[p] ? 0 : run + 1;
		if (run < pages)
			continue;
		size_t first = p + 1 - pages;
		memset(sim.dma_used + first, 1, pages);
		sim.dma_used[first] = 2;
		pthread_mutex_unlock(&sim.dma_lock);
		*phys = DMA_POOL_BASE + (uint64_t)first * PAGE_SIZE;
		*virt = sim.pc.m.ram + *phys;
		memset(*virt, 0, pages * PAGE_SIZE);
		return 0;
	}
	pthread_mutex_unlock(&sim.dma_lock);
	return -ENOMEM;
}

void platform_dma_free(void *virt, size_t len)
{
	if (!sim.up || !virt)
		return;
	uint8_t *p = virt;
	if (p < sim.pc.m.ram + DMA_POOL_BASE || p >= sim.pc.m.ram + GUEST_RAM_SIZE || (size_t)(p - sim.pc.m.ram) % PAGE_SIZE) {
		sim_trace("dma", "free of %p that dma_alloc did not return", virt);
		return;
	}
	size_t first = (size_t)(p - sim.pc.m.ram - DMA_POOL_BASE) / PAGE_SIZE;
	size_t pages = (len + PAGE_SIZE - 1) / PAGE_SIZE;
	pthread_mutex_lock(&sim.dma_lock);
	if (sim.dma_used[first] != 2)
		sim_trace("dma", "free of phys 0x%zx that is not the start of an allocation",
			  DMA_POOL_BASE + first * PAGE_SIZE);
	else
		for (size_t i = first; i < first + pages && i < DMA_PAGES && sim.dma_used[i] != (i == first ? 0 : 2); i++)
			sim.dma_used[i] = 0;
	pthread_mutex_unlock(&sim.dma_lock);
}

/* ---- init and shutdown ---------------------------------------------------------- */

static void default_quit(void *ctx)
{
	(void)ctx;
	request_exit("the window was closed");
}

void sim_devices_set_quit_handler(void (*fn)(void *ctx), void *ctx)
{
	sim.on_quit = fn ? fn : default_quit;
	sim.quit_ctx = ctx;
}

static void on_window_closed(void *ctx)
{
	(void)ctx;
	sim.on_quit(sim.quit_ctx);
}

int sim_devices_screenshot(const char *path)
{
	return sim.up ? sim_pc_save_screen(&sim.pc, path) : -ENODEV;
}

/* --virtio-fault KIND@N: virtio-net's completion number N (counting from 0, both queues)
 * shows fault KIND: used-jump, bad-id or bad-len (sim/virtio.h); KIND@N+: that completion
 * and every one after it (a device that never recovers). For driver tests. */
static int apply_virtio_fault(const char *spec, struct virtio_dev *dev)
{
	static const struct { const char *name; enum virtio_fault kind; } kinds[] = {
		{ "used-jump", VIRTIO_FAULT_USED_IDX_JUMP }, { "bad-id", VIRTIO_FAULT_BAD_ID }, { "bad-len", VIRTIO_FAULT_BAD_LEN },
	};
	const char *at = strchr(spec, '@');
	char *end = NULL;
	unsigned long n = at ? strtoul(at + 1, &end, 10) : 0;
	int repeat = end && *end == '+';
	if (repeat)
		end++;
	for (unsigned k = 0; dev && at && *end == '\0' && k < sizeof kinds / sizeof kinds[0]; k++) {
		if (strncmp(spec, kinds[k].name, (size_t)(at - spec)) || kinds[k].name[at - spec])
			continue;
		dev->fault = kinds[k].kind;
		dev->fault_after = (uint32_t)n;
		dev->fault_repeat = repeat;
		return 0;
	}
	fprintf(stderr, "rtjs-sim: --virtio-fault %s: expected KIND@N or KIND@N+ with KIND used-jump, bad-id or bad-len%s\n", spec,
		dev ? "" : " (and --net)");
	return -EINVAL;
}

static int build_machine(const struct options *o)
{
	struct sim_pc_config cfg = {
		.pci_testdev = !o->no_pci_testdev,
		.net_mac = o->net ? sim.net_cfg.mac : NULL,
		.rng = o->rng,
		.disk = o->disk != NULL,
		.disk_sectors = sim.disk_sectors,
		.disk_read_only = sim.disk_cfg.read_only,
		.irq_changed = on_irq_changed,
		.timers_changed = on_timers_changed,
		.msi_send = msi_send,
	};
	if (o->framebuffer) /* checked in apply_options */
		fb_parse_size(o->framebuffer, &cfg.fb_width, &cfg.fb_height, &cfg.fb_bpp);
	int rc = sim_pc_init(&sim.pc, &cfg);
	if (!rc && o->virtio_fault)
		rc = apply_virtio_fault(o->virtio_fault, o->net ? &sim.pc.net.vdev : NULL);
	uart_set_sink(&sim.pc.uart, uart_output, NULL);
	sim.pc.ps2.reset_request = on_guest_reset;
	return rc;
}

static int apply_options(const struct options *o)
{
	if (o->trace)
		sim_trace_enable(1);
	char error[256];
	if (o->keys && keyscript_parse(&sim.keys, o->keys, error, sizeof error)) {
		fprintf(stderr, "rtjs-sim: --keys: %s\n", error);
		return -EINVAL;
	}
	if (o->serial_log && !(sim.serial_log = fopen(o->serial_log, "a"))) {
		fprintf(stderr, "rtjs-sim: --serial-log %s: %s\n", o->serial_log, strerror(errno));
		return -errno;
	}
	if (o->net && net_parse(o->net, &sim.net_cfg, error, sizeof error)) {
		fprintf(stderr, "rtjs-sim: --net %s: %s\n", o->net, error);
		return -EINVAL;
	}
	if (o->net_faults && (!o->net || net_parse_faults(o->net_faults, &sim.net_cfg, error, sizeof error))) {
		fprintf(stderr, "rtjs-sim: --net-faults %s: %s\n", o->net_faults, o->net ? error : "needs --net");
		return -EINVAL;
	}
	unsigned fb_w, fb_h, fb_bpp;
	if (o->framebuffer && fb_parse_size(o->framebuffer, &fb_w, &fb_h, &fb_bpp)) {
		fprintf(stderr, "rtjs-sim: --framebuffer %s: expected WIDTHxHEIGHT[x24|x32] within %ux%u..%ux%u\n", o->framebuffer,
			FB_MIN_SIDE, FB_MIN_SIDE, FB_MAX_WIDTH, FB_MAX_HEIGHT);
		return -EINVAL;
	}
	if (o->disk && (disk_parse(o->disk, &sim.disk_cfg, error, sizeof error) ||
			disk_open(&sim.disk_cfg, &sim.disk_sectors, error, sizeof error))) {
		fprintf(stderr, "rtjs-sim: --disk %s: %s\n", o->disk, error);
		return -EINVAL;
	}
	sim.screenshot = o->screenshot;
	sim.headless = o->headless;
	return 0;
}

int sim_devices_init(int *argc, char **argv)
{
	if (sim.up)
		return -EBUSY;
	struct options o = { 0 };
	int rc = parse_options(argc, argv, &o);
	if (!rc) rc = apply_options(&o);
	if (!rc) rc = build_machine(&o);
	if (!rc && o.net)
		rc = net_start(&sim.net_cfg, &sim.pc.net);
	if (!rc && o.disk)
		rc = disk_start(&sim.pc.blk);
	if (rc)
		return rc;
	if (!sim.on_quit)
		sim.on_quit = default_quit;
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC); /* the machine's clock is monotonic */
	pthread_cond_init(&sim.cond, &attr);
	pthread_condattr_destroy(&attr);
	sim.stop = 0;
	sim.up = 1;
	if (pthread_create(&sim.thread, NULL, device_thread, NULL)) {
		sim.up = 0;
		return -EAGAIN;
	}
	if (o.serial_input)
		queue_serial_text(o.serial_input);
	if (sim.screenshot)
		screenshot_signal_install();
	if (!sim.headless) {
		struct sim_screen screen = sim_pc_screen(&sim.pc);
		sim.window = sim_display_start(&screen, &sim.pc.ps2, on_window_closed, NULL) == 0;
	}
	return 0;
}

void sim_devices_shutdown(void)
{
	if (!sim.up)
		return;
	if (sim.screenshot) {
		int rc = sim_pc_save_screen(&sim.pc, sim.screenshot);
		if (rc)
			fprintf(stderr, "rtjs-sim: --screenshot %s: %s\n", sim.screenshot, strerror(-rc));
	}
	sim_display_stop();
	net_stop();
	pthread_mutex_lock(&sim.lock);
	sim.stop = 1;
	pthread_cond_signal(&sim.cond);
	pthread_mutex_unlock(&sim.lock);
	if (!pthread_equal(pthread_self(), sim.thread))
		pthread_join(sim.thread, NULL);
	if (sim.serial_log)
		fflush(sim.serial_log);
	disk_stop(); /* what is in flight finishes; the image is synced and closed */
	/* Device state stays allocated: other threads may still be in a port access while the
	 * process exits. */
	sim.up = 0;
}
