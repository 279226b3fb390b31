/*
 * The platform contract: everything the runtime core needs from the machine it runs on.
 *
 * Two implementations exist and the core cannot tell them apart:
 *   - hosted (src/platform/hosted/): a Linux process; devices are the models in sim/,
 *     waiting is a futex on a shared word, threads are pthreads;
 *   - x86_64 (src/platform/x86_64/runtime/): the same runtime program running in ring 0 on
 *     the rtjs kernel; port I/O is the in/out instruction, physical memory is the kernel's
 *     direct map, and IRQs, DMA and power are rtjs-specific system calls
 *     (src/platform/x86_64/include/rtjs-syscall.h).
 *
 * Errors are negative errno values. Unless a function says otherwise it may be called from
 * any thread.
 */
#ifndef RTJS_PLATFORM_H
#define RTJS_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

/* Called once from main() before anything else; argv options the platform understands
 * (the simulator's --headless, --keys, --screenshot, ...) are consumed and removed. */
int platform_init(int *argc, char **argv);
/* The help text for the options platform_init consumes ("" when it takes none). */
const char *platform_options_help(void);
/* Undo platform_init: restore the terminal, close windows. Safe to call twice. */
void platform_shutdown(void);

/* ---- CPUs and threads ---------------------------------------------------------------- */
unsigned platform_cpu_count(void);
/* Start a thread pinned to `cpu` (one engine per CPU). */
int platform_thread_start(unsigned cpu, void (*fn)(void *arg), void *arg);

/* ---- Time ------------------------------------------------------------------------- */
/* The contract's times are in nanoseconds. */
#define NS_PER_SEC 1000000000ull
#define NS_PER_MS 1000000ull
uint64_t platform_monotonic_ns(void); /* never goes backwards; origin unspecified */
int64_t platform_wall_ns(void);       /* nanoseconds since 1970-01-01 UTC */
/* The calling thread's CPU-time clock, as a handle any thread may read with
 * platform_cpu_clock_ns: how long that thread has run (not waited), in nanoseconds;
 * 0 if the platform cannot tell. */
int64_t platform_thread_cpu_clock(void);
uint64_t platform_cpu_clock_ns(int64_t clock);

/* ---- Waiting ------------------------------------------------------------------------ *
 * Each engine's event loop owns one waiter. platform_wait blocks the calling thread until
 * platform_wake is called (from any thread, or from an IRQ/input callback) or until the
 * monotonic clock reaches deadline_ns (UINT64_MAX: no deadline). A wake that arrives while
 * nobody waits is remembered: the next wait returns at once. */
struct platform_waiter;
struct platform_waiter *platform_waiter_create(void);
void platform_waiter_destroy(struct platform_waiter *w);
void platform_wait(struct platform_waiter *w, uint64_t deadline_ns);
void platform_wake(struct platform_waiter *w);

/* ---- Console --------------------------------------------------------------------------
 * The runtime's own console: the terminal hosted, the kernel log (serial) on bare metal.
 * Input is delivered to `on_input` on the platform's input thread (hosted: a thread that
 * reads the terminal); it must copy the bytes and wake its loop. raw: no echo, no line editing. */
void platform_console_write(int stream /* 1 out, 2 err */, const void *buf, size_t len);
int platform_console_is_terminal(void);
/* The width of the terminal standard output is, in columns; 0 when it is none or unknown. */
int platform_console_columns(void);
/* 1 when console input arrives on another thread while JavaScript runs (so Ctrl-C can
 * interrupt a busy REPL line), 0 when the engine polls for it between tasks. */
int platform_console_input_concurrent(void);
typedef void (*platform_input_fn)(void *ctx, const uint8_t *bytes, size_t len, int eof);
int platform_console_input_start(platform_input_fn on_input, void *ctx, int raw);
void platform_console_input_stop(void);

/* ---- Devices ------------------------------------------------------------------------ *
 * Port I/O: width is 1, 2 or 4 bytes. */
uint32_t platform_port_in(uint16_t port, unsigned width);
void platform_port_out(uint16_t port, unsigned width, uint32_t value);
/* A window onto physical memory or device registers [phys, phys+len): a pointer the
 * runtime reads and writes directly. NULL if the range is not memory. */
void *platform_phys_map(uint64_t phys, size_t len);
/* Zeroed, physically contiguous memory a device can DMA into. */
int platform_dma_alloc(size_t len, void **virt, uint64_t *phys);
void platform_dma_free(void *virt, size_t len);

/* IRQ lines (ISA 0-15, then PCI/IOAPIC lines). `handler` runs on a platform thread each
 * time the line fires; it must be short (copy, post to a loop, wake). The line stays masked
 * until platform_irq_ack, as with a level-triggered line waiting for its driver. */
typedef void (*platform_irq_fn)(void *ctx, unsigned irq);
int platform_irq_attach(unsigned irq, platform_irq_fn handler, void *ctx);
void platform_irq_detach(unsigned irq);
void platform_irq_ack(unsigned irq);

/* Message-signalled interrupts (PCI 3.0, 6.8: MSI and MSI-X). A device raises one by
 * writing `data` to `address`; the platform routes it to CPU `cpu` (the CPU of the engine
 * whose app drives the device) and delivers it through the IRQ functions above under the
 * number it returns in *irq (PLATFORM_MSI_FIRST and up): attach, ack, detach as for a line.
 * A message that arrives while its vector waits for platform_irq_ack is delivered after the
 * ack (MSI is edge-like: nothing is lost, nothing doubles). Returns 0, -ENOSPC when every
 * vector is taken, -ENODEV where the machine has none. */
#define PLATFORM_MSI_FIRST 24
#define PLATFORM_MSI_COUNT 32
int platform_msi_alloc(unsigned cpu, unsigned *irq, uint64_t *address, uint32_t *data);
void platform_msi_free(unsigned irq);

/* The linear framebuffer the firmware or boot loader set up (the kernel: GRUB's multiboot2
 * framebuffer tag; hosted: the simulator's --framebuffer device). Pixel (x, y) is bpp/8
 * bytes, little-endian, at phys + y * pitch + x * bpp / 8, each colour the bit field
 * [shift, shift + bits) of it; the memory is reached with platform_phys_map. Returns 0, or
 * -ENODEV when the machine has none (VGA text mode). */
struct platform_framebuffer {
	uint64_t phys;
	uint32_t pitch, width, height;
	uint8_t bpp, red_shift, red_bits, green_shift, green_bits, blue_shift, blue_bits;
};
int platform_framebuffer(struct platform_framebuffer *fb);

/* ---- Misc --------------------------------------------------------------------------- */
int platform_entropy(void *buf, size_t len);
/* Mixes bytes from a hardware random source (a virtio-rng device) into the source
 * platform_entropy draws from: the rtjs kernel's generator on bare metal, the host kernel's
 * pool hosted (both through a write to /dev/urandom, which mixes without trusting). 0 or
 * -errno. */
int platform_entropy_add(const void *buf, size_t len);
/* Files that came with boot (the initrd on bare metal, the js/ tree hosted):
 * returns 0 and a read-only view, or -ENOENT. */
int platform_boot_file(const char *path, const void **data, size_t *len);
/* Never return. status is the exit status seen by the host or QEMU's harness. */
void platform_poweroff(int status) __attribute__((noreturn));
void platform_reboot(void) __attribute__((noreturn));

#endif
