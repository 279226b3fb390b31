#include "machine.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "trace.h"

static uint64_t host_clock(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * SIM_NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

static uint64_t host_monotonic_ns(void *ctx)
{
	(void)ctx;
	return host_clock(CLOCK_MONOTONIC);
}

static uint64_t host_wall_ns(void *ctx)
{
	(void)ctx;
	return host_clock(CLOCK_REALTIME);
}

int sim_machine_init(struct sim_machine *m, size_t ram_size)
{
	memset(m, 0, sizeof *m);
	m->ram = calloc(1, ram_size);
	if (!m->ram)
		return -ENOMEM;
	m->ram_size = ram_size;
	pthread_rwlock_init(&m->map_lock, NULL);
	pthread_mutex_init(&m->irq_lock, NULL);
	pthread_mutex_init(&m->timer_lock, NULL);
	m->monotonic_ns = host_monotonic_ns;
	m->wall_ns = host_wall_ns;
	return 0;
}

void sim_machine_destroy(struct sim_machine *m)
{
	free(m->ram);
	m->ram = NULL;
	pthread_rwlock_destroy(&m->map_lock);
	pthread_mutex_destroy(&m->irq_lock);
	pthread_mutex_destroy(&m->timer_lock);
}

void sim_machine_set_clocks(struct sim_machine *m, sim_clock_fn monotonic_ns, sim_clock_fn wall_ns, void *ctx)
{
	m->monotonic_ns = monotonic_ns;
	m->wall_ns = wall_ns;
	m->clock_ctx = ctx;
}

void sim_machine_set_irq_callback(struct sim_machine *m, sim_irq_changed_fn fn, void *ctx)
{
	pthread_mutex_lock(&m->irq_lock);
	m->irq_changed = fn;
	m->irq_ctx = ctx;
	pthread_mutex_unlock(&m->irq_lock);
}

uint64_t sim_now_ns(struct sim_machine *m)
{
	return m->monotonic_ns(m->clock_ctx);
}

int64_t sim_wall_ns(struct sim_machine *m)
{
	return (int64_t)m->wall_ns(m->clock_ctx);
}

/* ---- ports ---------------------------------------------------------------------- */

int sim_port_register(struct sim_machine *m, uint16_t base, uint16_t len, const struct sim_io_ops *ops, void *opaque)
{
	int rc = 0;
	pthread_rwlock_wrlock(&m->map_lock);
	for (unsigned i = 0; i < m->nports && !rc; i++) {
		const struct sim_port_range *r = &m->ports[i];
		if ((uint32_t)base < (uint32_t)r->base + r->len && (uint32_t)r->base < (uint32_t)base + len)
			rc = -EBUSY;
	}
	if (!rc && m->nports == SIM_MAX_PORT_RANGES)
		rc = -ENOSPC;
	if (!rc)
		m->ports[m->nports++] = (struct sim_port_range){ base, len, ops, opaque };
	pthread_rwlock_unlock(&m->map_lock);
	if (rc)
		sim_trace("machine", "cannot claim ports 0x%x+%u: %s", base, len, strerror(-rc));
	return rc;
}

void sim_port_unregister(struct sim_machine *m, void *opaque, uint16_t base)
{
	pthread_rwlock_wrlock(&m->map_lock);
	for (unsigned i = 0; i < m->nports; i++) {
		if (m->ports[i].opaque == opaque && m->ports[i].base == base) {
			m->ports[i] = m->ports[--m->nports];
			break;
		}
	}
	pthread_rwlock_unlock(&m->map_lock);
}

static const struct sim_port_range *port_find(struct sim_machine *m, uint16_t port, unsigned size)
{
	for (unsigned i = 0; i < m->nports; i++) {
		const struct sim_port_range *r = &m->ports[i];
		if (port >= r->base && (uint32_t)port + size <= (uint32_t)r->base + r->len)
			return &m->ports[i];
	}
	return NULL;
}

static int size_ok(unsigned size)
{
	return size == 1 || size == 2 || size == 4;
}

static uint32_t size_mask(unsigned size)
{
	return size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

uint32_t sim_port_in(struct sim_machine *m, uint16_t port, unsigned size)
{
	if (!size_ok(size)) {
		sim_trace("machine", "in from port 0x%x with width %u", port, size);
		return 0xffffffffu;
	}
	pthread_rwlock_rdlock(&m->map_lock);
	const struct sim_port_range *r = port_find(m, port, size);
	struct sim_port_range copy = r ? *r : (struct sim_port_range){ 0 };
	pthread_rwlock_unlock(&m->map_lock);
	if (!r) {
		sim_trace("machine", "in%c from unclaimed port 0x%x", "bw?l"[size - 1], port);
		return size_mask(size);
	}
	return copy.ops->read(copy.opaque, port - copy.base, size) & size_mask(size);
}

void sim_port_out(struct sim_machine *m, uint16_t port, unsigned size, uint32_t value)
{
	if (!size_ok(size)) {
		sim_trace("machine", "out to port 0x%x with width %u", port, size);
		return;
	}
	pthread_rwlock_rdlock(&m->map_lock);
	const struct sim_port_range *r = port_find(m, port, size);
	struct sim_port_range copy = r ? *r : (struct sim_port_range){ 0 };
	pthread_rwlock_unlock(&m->map_lock);
	if (!r) {
		sim_trace("machine", "out%c 0x%x to unclaimed port 0x%x", "bw?l"[size - 1], value, port);
		return;
	}
	copy.ops->write(copy.opaque, port - copy.base, size, value & size_mask(size));
}

/* ---- memory --------------------------------------------------------------------- */

int sim_mem_register(struct sim_machine *m, uint64_t base, uint64_t len, uint8_t *mem,
		     const struct sim_io_ops *ops, void *opaque)
{
	int rc = 0;
	pthread_rwlock_wrlock(&m->map_lock);
	if (m->nregions == SIM_MAX_MEM_REGIONS)
		rc = -ENOSPC;
	else
		m->regions[m->nregions++] = (struct sim_mem_region){ base, len, mem, ops, opaque };
	pthread_rwlock_unlock(&m->map_lock);
	return rc;
}

void sim_mem_unregister(struct sim_machine *m, void *opaque, uint64_t base)
{
	pthread_rwlock_wrlock(&m->map_lock);
	for (unsigned i = 0; i < m->nregions; i++) {
		if (m->regions[i].opaque == opaque && m->regions[i].base == base) {
			m->regions[i] = m->regions[--m->nregions];
			break;
		}
	}
	pthread_rwlock_unlock(&m->map_lock);
}

static int range_within(uint64_t phys, uint64_t len, uint64_t base, uint64_t size)
{
	return phys >= base && len <= size && phys - base <= size - len;
}

/* Called with map_lock held. Device regions shadow RAM (the VGA hole at 0xA0000). */
static const struct sim_mem_region *region_find(struct sim_machine *m, uint64_t phys, uint64_t len)
{
	for (unsigned i = 0; i < m->nregions; i++)
		if (range_within(phys, len, m->regions[i].base, m->regions[i].len))
			return &m->regions[i];
	return NULL;
}

/* Called with map_lock held. */
static int region_overlaps(struct sim_machine *m, uint64_t phys, uint64_t len)
{
	for (unsigned i = 0; i < m->nregions; i++)
		if (phys < m->regions[i].base + m->regions[i].len && m->regions[i].base < phys + len)
			return 1;
	return 0;
}

void *sim_phys_ptr(struct sim_machine *m, uint64_t phys, size_t len)
{
	void *p = NULL;
	pthread_rwlock_rdlock(&m->map_lock);
	const struct sim_mem_region *r = region_find(m, phys, len);
	if (r && r->mem)
		p = r->mem + (phys - r->base);
	else if (!r && !region_overlaps(m, phys, len) && range_within(phys, len, 0, m->ram_size))
		p = m->ram + phys;
	pthread_rwlock_unlock(&m->map_lock);
	return p;
}

static int mmio_lookup(struct sim_machine *m, uint64_t phys, unsigned size, struct sim_mem_region *out)
{
	pthread_rwlock_rdlock(&m->map_lock);
	const struct sim_mem_region *r = region_find(m, phys, size);
	int found = r && r->ops;
	if (found)
		*out = *r;
	pthread_rwlock_unlock(&m->map_lock);
	return found && size_ok(size);
}

int sim_mmio_read(struct sim_machine *m, uint64_t phys, unsigned size, uint32_t *value)
{
	struct sim_mem_region r;
	if (!mmio_lookup(m, phys, size, &r))
		return -ENOENT;
	*value = r.ops->read(r.opaque, (uint32_t)(phys - r.base), size) & size_mask(size);
	return 0;
}

int sim_mmio_write(struct sim_machine *m, uint64_t phys, unsigned size, uint32_t value)
{
	struct sim_mem_region r;
	if (!mmio_lookup(m, phys, size, &r))
		return -ENOENT;
	r.ops->write(r.opaque, (uint32_t)(phys - r.base), size, value & size_mask(size));
	return 0;
}

/* ---- interrupt lines ------------------------------------------------------------ */

int sim_irq_init(struct sim_irq *irq, struct sim_machine *m, unsigned line)
{
	static atomic_uint next_source;
	if (line >= SIM_IRQ_LINES)
		return -EINVAL;
	irq->m = m;
	irq->line = line;
	irq->source_bit = 1u << (atomic_fetch_add(&next_source, 1) % 32);
	return 0;
}

void sim_irq_set(struct sim_irq *irq, int level)
{
	struct sim_machine *m = irq->m;
	if (!m)
		return;
	pthread_mutex_lock(&m->irq_lock);
	uint32_t before = m->irq_sources[irq->line];
	uint32_t after = level ? before | irq->source_bit : before & ~irq->source_bit;
	m->irq_sources[irq->line] = after;
	if (!before != !after && m->irq_changed)
		m->irq_changed(m->irq_ctx, irq->line, after != 0);
	pthread_mutex_unlock(&m->irq_lock);
}

int sim_irq_level(struct sim_machine *m, unsigned line)
{
	if (line >= SIM_IRQ_LINES)
		return 0;
	pthread_mutex_lock(&m->irq_lock);
	int level = m->irq_sources[line] != 0;
	pthread_mutex_unlock(&m->irq_lock);
	return level;
}

/* ---- timers --------------------------------------------------------------------- */

int sim_timer_init(struct sim_machine *m, struct sim_timer *t, sim_timer_fn fn, void *opaque)
{
	int rc = 0;
	t->deadline_ns = UINT64_MAX;
	t->fn = fn;
	t->opaque = opaque;
	pthread_mutex_lock(&m->timer_lock);
	if (m->ntimers == SIM_MAX_TIMERS)
		rc = -ENOSPC;
	else
		m->timers[m->ntimers++] = t;
	pthread_mutex_unlock(&m->timer_lock);
	return rc;
}

void sim_timer_mod(struct sim_machine *m, struct sim_timer *t, uint64_t deadline_ns)
{
	pthread_mutex_lock(&m->timer_lock);
	t->deadline_ns = deadline_ns;
	void (*changed)(void *) = m->timers_changed;
	void *ctx = m->timers_ctx;
	pthread_mutex_unlock(&m->timer_lock);
	if (changed)
		changed(ctx);
}

void sim_timer_del(struct sim_machine *m, struct sim_timer *t)
{
	sim_timer_mod(m, t, UINT64_MAX);
}

uint64_t sim_timers_next_deadline(struct sim_machine *m)
{
	uint64_t next = UINT64_MAX;
	pthread_mutex_lock(&m->timer_lock);
	for (unsigned i = 0; i < m->ntimers; i++)
		if (m->timers[i]->deadline_ns < next)
			next = m->timers[i]->deadline_ns;
	pthread_mutex_unlock(&m->timer_lock);
	return next;
}

/* Pops one expired timer (disarming it) so that its callback runs without the lock and
 * may re-arm itself. */
static struct sim_timer *timer_pop_expired(struct sim_machine *m, uint64_t now_ns)
{
	struct sim_timer *t = NULL;
	pthread_mutex_lock(&m->timer_lock);
	for (unsigned i = 0; i < m->ntimers && !t; i++) {
		if (m->timers[i]->deadline_ns <= now_ns) {
			t = m->timers[i];
			t->deadline_ns = UINT64_MAX;
		}
	}
	pthread_mutex_unlock(&m->timer_lock);
	return t;
}

void sim_timers_run(struct sim_machine *m, uint64_t now_ns)
{
	struct sim_timer *t;
	/* Bounded so that a timer re-arming itself in the past cannot spin forever. */
	for (int budget = 1000; budget > 0 && (t = timer_pop_expired(m, now_ns)); budget--)
		t->fn(t->opaque);
}
