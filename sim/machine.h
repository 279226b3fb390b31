/*
 * The simulated PC: port I/O dispatch, physical memory (guest RAM and device windows),
 * interrupt lines, and timers on the machine's clock.
 *
 * Devices register their ports and regions while the machine is being built (before any
 * concurrent use); lookups afterwards take a read lock, so PCI BAR remapping may register
 * and unregister at run time. Each device protects its own state with its own mutex; the
 * machine's locks are leaves (no device code runs under them, except the IRQ callback,
 * which must not call back into a device).
 */
#ifndef RTJS_SIM_MACHINE_H
#define RTJS_SIM_MACHINE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

/* Register access of a device: offset from the start of its range, size 1, 2 or 4. */
struct sim_io_ops {
	uint32_t (*read)(void *opaque, uint32_t offset, unsigned size);
	void (*write)(void *opaque, uint32_t offset, unsigned size, uint32_t value);
};

#define SIM_MAX_PORT_RANGES 64
#define SIM_MAX_MEM_REGIONS 32
#define SIM_MAX_TIMERS 32
/* ISA 0-15, then PCI lines (like an IOAPIC's 24 inputs). */
#define SIM_IRQ_LINES 24

/* Called (under the machine's IRQ lock) each time a line's level changes. */
typedef void (*sim_irq_changed_fn)(void *ctx, unsigned line, int level);
typedef uint64_t (*sim_clock_fn)(void *ctx);

/* The machine's clocks and timers count nanoseconds. */
#define SIM_NS_PER_SEC INT64_C(1000000000)
typedef void (*sim_timer_fn)(void *opaque);

struct sim_port_range {
	uint16_t base, len;
	const struct sim_io_ops *ops;
	void *opaque;
};

/* A physical-memory region: either plain memory (`mem`, directly mappable) or registers
 * reached only through `ops`. */
struct sim_mem_region {
	uint64_t base, len;
	uint8_t *mem;
	const struct sim_io_ops *ops;
	void *opaque;
};

struct sim_timer {
	uint64_t deadline_ns; /* UINT64_MAX: not armed */
	sim_timer_fn fn;
	void *opaque;
};

struct sim_machine {
	pthread_rwlock_t map_lock;
	struct sim_port_range ports[SIM_MAX_PORT_RANGES];
	unsigned nports;
	struct sim_mem_region regions[SIM_MAX_MEM_REGIONS];
	unsigned nregions;

	uint8_t *ram; /* guest physical RAM: physical address = offset */
	size_t ram_size;

	pthread_mutex_t irq_lock;
	uint32_t irq_sources[SIM_IRQ_LINES]; /* one bit per device driving the line */
	sim_irq_changed_fn irq_changed;
	void *irq_ctx;

	pthread_mutex_t timer_lock;
	struct sim_timer *timers[SIM_MAX_TIMERS];
	unsigned ntimers;
	void (*timers_changed)(void *ctx); /* a deadline moved: the timer thread re-plans */
	void *timers_ctx;

	sim_clock_fn monotonic_ns, wall_ns; /* the machine's clocks (tests install fakes) */
	void *clock_ctx;
};

/* An output of a device wired to a machine line. Several sources may share a line (PCI
 * INTx); the line is high while any of them is. */
struct sim_irq {
	struct sim_machine *m;
	unsigned line;
	uint32_t source_bit;
};

/* ram_size bytes of zeroed guest RAM; host clocks. Returns 0 or -errno. */
int sim_machine_init(struct sim_machine *m, size_t ram_size);
void sim_machine_destroy(struct sim_machine *m);
void sim_machine_set_clocks(struct sim_machine *m, sim_clock_fn monotonic_ns, sim_clock_fn wall_ns, void *ctx);
void sim_machine_set_irq_callback(struct sim_machine *m, sim_irq_changed_fn fn, void *ctx);

int sim_port_register(struct sim_machine *m, uint16_t base, uint16_t len, const struct sim_io_ops *ops, void *opaque);
void sim_port_unregister(struct sim_machine *m, void *opaque, uint16_t base);
/* Unclaimed ports read as all ones (floating ISA bus) and ignore writes; both are traced. */
uint32_t sim_port_in(struct sim_machine *m, uint16_t port, unsigned size);
void sim_port_out(struct sim_machine *m, uint16_t port, unsigned size, uint32_t value);

int sim_mem_register(struct sim_machine *m, uint64_t base, uint64_t len, uint8_t *mem,
		     const struct sim_io_ops *ops, void *opaque);
void sim_mem_unregister(struct sim_machine *m, void *opaque, uint64_t base);
/* A host pointer for [phys, phys+len) if the range lies within guest RAM or one plain
 * memory region; NULL otherwise (register regions cannot be mapped). */
void *sim_phys_ptr(struct sim_machine *m, uint64_t phys, size_t len);
/* Access through a register region (MMIO BARs); returns -ENOENT if none covers phys. */
int sim_mmio_read(struct sim_machine *m, uint64_t phys, unsigned size, uint32_t *value);
int sim_mmio_write(struct sim_machine *m, uint64_t phys, unsigned size, uint32_t value);

int sim_irq_init(struct sim_irq *irq, struct sim_machine *m, unsigned line);
void sim_irq_set(struct sim_irq *irq, int level);
int sim_irq_level(struct sim_machine *m, unsigned line);

/* Timers fire from sim_timers_run, on whichever thread drives the machine's clock. */
int sim_timer_init(struct sim_machine *m, struct sim_timer *t, sim_timer_fn fn, void *opaque);
void sim_timer_mod(struct sim_machine *m, struct sim_timer *t, uint64_t deadline_ns);
void sim_timer_del(struct sim_machine *m, struct sim_timer *t);
uint64_t sim_timers_next_deadline(struct sim_machine *m);
/* Run every timer whose deadline is <= now; each runs without machine locks held. */
void sim_timers_run(struct sim_machine *m, uint64_t now_ns);

uint64_t sim_now_ns(struct sim_machine *m);
int64_t sim_wall_ns(struct sim_machine *m);

#endif
