/* Futexes across the program's threads: the wait table (sched/futex-table.c) with a lock
 * per bucket, so that threads waiting and waking on unrelated words do not contend;
 * sleeping and waking through the scheduler (contract in sched/sched.h). */
#include <errno.h>

#include "cpu/spinlock.h"
#include "linux/syscall.h"
#include "sched/sched.h"

#define FUTEX_WORD_ALIGN 4 /* futex(2): "the futex word ... 4-byte aligned" */

static struct futex_table table; /* all-NULL buckets: initialised as it stands */
static spinlock_t bucket_locks[FUTEX_TABLE_BUCKETS] = {
	[0 ... FUTEX_TABLE_BUCKETS - 1] = SPINLOCK_INIT(FUTEX, "futex bucket"),
};

static spinlock_t *lock_of(uint64_t key)
{
	return &bucket_locks[futex_table_bucket(key)];
}

static void wake_owner(struct futex_waiter *w, void *ctx)
{
	(void)ctx;
	sched_wake(w->owner);
}

/* The word, checked and made present: it is read again under a bucket lock, with
 * interrupts off, where a page fault must not happen. */
static const volatile uint32_t *futex_word(uint64_t uaddr)
{
	if (uaddr % FUTEX_WORD_ALIGN)
		return NULL;
	const volatile uint32_t *word = user_access(user_at(uaddr), sizeof(uint32_t), 0);
	if (word)
		(void)*word;
	return word;
}

/* Takes w off the table if still queued; a requeue may have moved it to another bucket
 * meanwhile, so the key is read again under the lock. 1 if it was queued. */
static int cancel(struct futex_waiter *w)
{
	for (;;) {
		uint64_t key = __atomic_load_n(&w->key, __ATOMIC_ACQUIRE);
		spinlock_t *l = lock_of(key);
		uint64_t fl = spin_lock(l);
		if (w->key != key) {
			spin_unlock(l, fl);
			continue;
		}
		int was = futex_table_cancel(&table, w);
		spin_unlock(l, fl);
		return was;
	}
}

static long wait_on(uint64_t uaddr, uint32_t val, uint32_t bitset, uint64_t deadline_ns, int prepare)
{
	if (!bitset)
		return -EINVAL;
	const volatile uint32_t *word = futex_word(uaddr);
	if (!word)
		return uaddr % FUTEX_WORD_ALIGN ? -EINVAL : -EFAULT;
	struct thread *t = sched_current();
	spinlock_t *l = lock_of(uaddr);
	uint64_t fl = spin_lock(l);
	/* Checked under the lock a waker takes too: a wake cannot fall in between. */
	if (*word != val) {
		spin_unlock(l, fl);
		return -EAGAIN;
	}
	if (prepare)
		sched_prepare_block();
	futex_table_enqueue(&table, &t->fw, uaddr, bitset);
	spin_unlock(l, fl);
	sched_block(deadline_ns);
	return cancel(&t->fw) ? -ETIMEDOUT : 0;
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
	spinlock_t *l = lock_of(uaddr);
	uint64_t fl = spin_lock(l);
	int woken = futex_table_wake(&table, uaddr, bitset, n, wake_owner, NULL);
	spin_unlock(l, fl);
	return woken;
}

long futex_requeue(uint64_t uaddr, int nwake, int nrequeue, uint64_t uaddr2, int check, uint32_t val)
{
	const volatile uint32_t *word = futex_word(uaddr);
	if (!word || !futex_word(uaddr2))
		return -EFAULT;
	if (nwake < 0 || nrequeue < 0)
		return -EINVAL;
	/* Both buckets, the lower one first (its lock ranks below the second's). */
	spinlock_t *a = lock_of(uaddr), *b = lock_of(uaddr2);
	if (b < a) {
		spinlock_t *tmp = a;
		a = b;
		b = tmp;
	}
	uint64_t fl = spin_lock(a);
	uint64_t fl2 = 0;
	if (b != a)
		fl2 = spin_lock_as(b, LOCK_RANK_FUTEX2);
	long n;
	if (check && *word != val)
		n = -EAGAIN;
	else
		n = futex_table_requeue(&table, uaddr, uaddr2, nwake, nrequeue, wake_owner, NULL);
	if (b != a)
		spin_unlock(b, fl2);
	spin_unlock(a, fl);
	return n;
}
