/* Spinlocks that also disable interrupts on the local CPU while held, so an interrupt
 * handler on the same CPU can never spin on a lock its own CPU holds. */
#ifndef RTJS_SPINLOCK_H
#define RTJS_SPINLOCK_H
#include <stdint.h>
#include "cpu/cpu.h"

typedef struct {
	volatile uint32_t locked;
} spinlock_t;

#define SPINLOCK_INIT { 0 }

/* Returns the interrupt state to give back to spin_unlock. */
static inline uint64_t spin_lock(spinlock_t *l)
{
	uint64_t flags = irq_save();
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			cpu_pause();
	return flags;
}

static inline void spin_unlock(spinlock_t *l, uint64_t flags)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
	irq_restore(flags);
}

#endif
