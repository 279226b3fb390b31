#include "sched/bkl.h"

#include <stddef.h>
#include <stdint.h>

#include "cpu/cpu.h"
#include "cpu/percpu.h"

static void *volatile owner;
static int depth; /* only the owner touches it */

/* The holder: the thread running on this CPU, or the CPU itself before threads exist. */
static void *self(void)
{
	struct percpu *p = this_cpu();
	return p->thread ? p->thread : (void *)p;
}

void bkl_lock(void)
{
	void *me = self();
	if (owner == me) {
		depth++;
		return;
	}
	void *expected = NULL;
	while (!__atomic_compare_exchange_n(&owner, &expected, me, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		expected = NULL;
		cpu_pause();
	}
	depth = 1;
}

void bkl_unlock(void)
{
	if (--depth == 0)
		__atomic_store_n(&owner, NULL, __ATOMIC_RELEASE);
}

int bkl_release_all(void)
{
	if (owner != self())
		return 0;
	int d = depth;
	depth = 0;
	__atomic_store_n(&owner, NULL, __ATOMIC_RELEASE);
	return d;
}

void bkl_reacquire(int d)
{
	if (!d)
		return;
	bkl_lock();
	depth = d;
}
