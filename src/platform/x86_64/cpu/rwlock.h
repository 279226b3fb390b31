/* Reader-writer locks held with interrupts on (cpu/lock.h): many readers or one writer,
 * a waiting writer keeping new readers out so that a stream of readers cannot starve it.
 * For state that holders touch while the program's memory may fault or a TLB shootdown
 * may be sent: the memory areas, the console. Never taken in interrupt handlers. Waiting
 * spins: holders do short, non-blocking work. */
#ifndef RTJS_RWLOCK_H
#define RTJS_RWLOCK_H

#include <stdint.h>

#include "cpu/cpu.h"
#include "cpu/lock.h"

struct rwlock {
	volatile int32_t state;    /* readers holding it, or RWLOCK_WRITER */
	volatile uint32_t writers; /* writers holding it or waiting for it */
	uint16_t rank;             /* enum lock_rank */
	const char *name;
};

#define RWLOCK_WRITER (-1)
#define RWLOCK_INIT(rank, name) { 0, 0, LOCK_RANK_##rank, name }

static inline void read_lock(struct rwlock *l)
{
	if (__builtin_expect(lock_debug_on, 0))
		lock_debug_acquire(l, l->name, l->rank, LOCK_KIND_RW, __builtin_return_address(0));
	for (;;) {
		while (__atomic_load_n(&l->writers, __ATOMIC_RELAXED))
			cpu_pause();
		int32_t s = __atomic_load_n(&l->state, __ATOMIC_RELAXED);
		/* A writer that arrives after the check waits for the readers to leave. */
		if (s >= 0 && __atomic_compare_exchange_n(&l->state, &s, s + 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return;
		cpu_pause();
	}
}

static inline void read_unlock(struct rwlock *l)
{
	__atomic_sub_fetch(&l->state, 1, __ATOMIC_RELEASE);
	if (__builtin_expect(lock_debug_on, 0))
		lock_debug_release(l);
}

static inline void write_lock(struct rwlock *l)
{
	if (__builtin_expect(lock_debug_on, 0))
		lock_debug_acquire(l, l->name, l->rank, LOCK_KIND_RW, __builtin_return_address(0));
	__atomic_add_fetch(&l->writers, 1, __ATOMIC_RELAXED);
	for (;;) {
		int32_t s = 0;
		if (__atomic_compare_exchange_n(&l->state, &s, RWLOCK_WRITER, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return;
		cpu_pause();
	}
}

static inline void write_unlock(struct rwlock *l)
{
	__atomic_store_n(&l->state, 0, __ATOMIC_RELEASE);
	__atomic_sub_fetch(&l->writers, 1, __ATOMIC_RELEASE);
	if (__builtin_expect(lock_debug_on, 0))
		lock_debug_release(l);
}

#endif
