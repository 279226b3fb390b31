/* Spinlocks that also disable interrupts on the local CPU while held, so an interrupt
 * handler on the same CPU can never spin on a lock its own CPU holds. Each has a rank and
 * a name for the lock order's checks (cpu/lock.h). */
#ifndef RTJS_SPINLOCK_H
#define RTJS_SPINLOCK_H
#include <stdint.h>
#include "cpu/cpu.h"
#include "cpu/lock.h"

typedef struct {
	volatile uint32_t locked;
	uint16_t rank; /* enum lock_rank */
	const char *name;
} spinlock_t;

#define SPINLOCK_INIT(rank, name) { 0, LOCK_RANK_##rank, name }

/* Takes l as if its rank were `rank`: for a second lock of one class, taken after the
 * first (cpu/lock.h). Returns the interrupt state to give back to spin_unlock. */
static inline uint64_t spin_lock_as(spinlock_t *l, unsigned rank)
{
	uint64_t flags = irq_save();
	if (__builtin_expect(lock_debug_on, 0))
		lock_debug_acquire(l, l->name, rank, LOCK_KIND_SPIN, __builtin_return_address(0));
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			cpu_pause();
	return flags;
}

/* Returns the interrupt state to give back to spin_unlock. */
static inline uint64_t spin_lock(spinlock_t *l)
{
	return spin_lock_as(l, l->rank);
}

/* Takes l only if it is free, with interrupts already off (a lock of this CPU's is held):
 * never waiting, it cannot deadlock, so the order is not checked. 1 if taken; let go with
 * spin_untrylock. */
static inline int spin_trylock(spinlock_t *l)
{
	if (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		return 0;
	if (__builtin_expect(lock_debug_on, 0))
		lock_debug_acquire(l, l->name, LOCK_RANK_NONE, LOCK_KIND_SPIN, __builtin_return_address(0));
	return 1;
}

static inline void spin_untrylock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
	if (__builtin_expect(lock_debug_on, 0))
		lock_debug_release(l);
}

static inline void spin_unlock(spinlock_t *l, uint64_t flags)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
	if (__builtin_expect(lock_debug_on, 0))
		lock_debug_release(l);
	irq_restore(flags);
}

#endif
