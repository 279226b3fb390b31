/* Futexes across the program's threads: the wait table (sched/futex-table.c) under one
 * lock, sleeping and waking through the scheduler (contract in sched/sched.h). */
#include <errno.h>

#include "cpu/spinlock.h"
#include "linux/syscall.h"
#include "sched/sched.h"

#define FUTEX_WORD_ALIGN 4 /* futex(2): "the futex word ... 4-byte aligned" */

static spinlock_t futex_lock = SPINLOCK_INIT;
static struct futex_table table;
static int table_ready;

static void ensure_table(void)
{
	if (!table_ready) {
		futex_table_init(&table);
		table_ready = 1;
	}
}

static void wake_owner(struct futex_waiter *w, void *ctx)
{
	(void)ctx;
	sched_wake(w->owner);
}

static const volatile uint32_t *futex_word(uint64_t uaddr)
{
	if (uaddr % FUTEX_WORD_ALIGN)
		return NULL;
	return user_access(user_at(uaddr), sizeof(uint32_t), 0);
}

static long wait_on(uint64_t uaddr, uint32_t val, uint32_t bitset, uint64_t deadline_ns, int prepare)
{
	if (!bitset)
		return -EINVAL;
	const volatile uint32_t *word = futex_word(uaddr);
	if (!word)
		return uaddr % FUTEX_WORD_ALIGN ? -EINVAL : -EFAULT;
	struct thread *t = sched_current();
	uint64_t fl = spin_lock(&futex_lock);
	ensure_table();
	/* Checked under the lock a waker takes too: a wake cannot fall in between. */
	if (*word != val) {
		spin_unlock(&futex_lock, fl);
		return -EAGAIN;
	}
	if (prepare)
		sched_prepare_block();
	futex_table_enqueue(&table, &t->fw, uaddr, bitset);
	spin_unlock(&futex_lock, fl);
	sched_block(deadline_ns);
	fl = spin_lock(&futex_lock);
	int timed_out = futex_table_cancel(&table, &t->fw);
	spin_unlock(&futex_lock, fl);
	return timed_out ? -ETIMEDOUT : 0;
}

long futex_wait(uint64_t uaddr, uint32_t val, uint32_t bitset, uint64_t deadline_ns)
{
	return wait_on(uaddr, val, bitset, deadline_ns, 1);
}

long futex_wait_prepared(uint64_t uaddr, uint32_t val, uint32_t bitset, uint64_t deadline_ns)
{
	return wait_on(uaddr, val, bitset, deadline_ns, 0);
}

long futex_wake(uint64_t uaddr, int n, uint32_t bitset)
{
	if (!bitset)
		return -EINVAL;
	if (n <= 0)
		return 0;
	uint64_t fl = spin_lock(&futex_lock);
	ensure_table();
	int woken = futex_table_wake(&table, uaddr, bitset, n, wake_owner, NULL);
	spin_unlock(&futex_lock, fl);
	return woken;
}

long futex_requeue(uint64_t uaddr, int nwake, int nrequeue, uint64_t uaddr2, int check, uint32_t val)
{
	const volatile uint32_t *word = futex_word(uaddr);
	if (!word || !futex_word(uaddr2))
		return -EFAULT;
	if (nwake < 0 || nrequeue < 0)
		return -EINVAL;
	uint64_t fl = spin_lock(&futex_lock);
	ensure_table();
	if (check && *word != val) {
		spin_unlock(&futex_lock, fl);
		return -EAGAIN;
	}
	int n = futex_table_requeue(&table, uaddr, uaddr2, nwake, nrequeue, wake_owner, NULL);
	spin_unlock(&futex_lock, fl);
	return n;
}
