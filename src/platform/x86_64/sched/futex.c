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

/* The futex word is read under a bucket lock (so that no wake falls between the check and
 * the sleep), with interrupts off, where a page fault cannot be served: the read answers
 * -EFAULT instead, and the caller drops the lock, faults the page in as the program's own
 * access would and takes the lock again (the page may be gone again by then: another try).
 * -EFAULT when the fault-in fails: the word is not in the program's readable memory. */
static int fault_in(uint64_t uaddr)
{
	return user_fault_in(user_at(uaddr), 0) ? -EFAULT : 0;
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
	if (uaddr % FUTEX_WORD_ALIGN)
		return -EINVAL;
	struct thread *t = sched_current();
	spinlock_t *l = lock_of(uaddr);
	uint64_t fl;
	for (;;) {
		fl = spin_lock(l);
		uint32_t cur;
		int rc = user_load_u32_nofault(uaddr, &cur);
		if (rc == 0 && cur == val)
			break; /* checked under the lock a waker takes too: no wake falls in between */
		spin_unlock(l, fl);
		if (rc == 0)
			return -EAGAIN;
		if (fault_in(uaddr))
			return -EFAULT;
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
	if (uaddr % FUTEX_WORD_ALIGN || uaddr2 % FUTEX_WORD_ALIGN)
		return -EINVAL;
	if (nwake < 0 || nrequeue < 0)
		return -EINVAL;
	/* Checked, not read: a word the program has not mapped is refused as its read would be. */
	if (!user_access(user_at(uaddr), sizeof(uint32_t), 0) || !user_access(user_at(uaddr2), sizeof(uint32_t), 0))
		return -EFAULT;
	/* Both buckets, the lower one first (its lock ranks below the second's). */
	spinlock_t *a = lock_of(uaddr), *b = lock_of(uaddr2);
	if (b < a) {
		spinlock_t *tmp = a;
		a = b;
		b = tmp;
	}
	for (;;) {
		uint64_t fl = spin_lock(a);
		uint64_t fl2 = 0;
		if (b != a)
			fl2 = spin_lock_as(b, LOCK_RANK_FUTEX2);
		long n;
		uint32_t cur = 0;
		int rc = check ? user_load_u32_nofault(uaddr, &cur) : 0;
		if (rc)
			n = -EFAULT;
		else if (check && cur != val)
			n = -EAGAIN;
		else
			n = futex_table_requeue(&table, uaddr, uaddr2, nwake, nrequeue, wake_owner, NULL);
		if (b != a)
			spin_unlock(b, fl2);
		spin_unlock(a, fl);
		if (n != -EFAULT)
			return n;
		if (fault_in(uaddr))
			return -EFAULT;
	}
}
