/*
 * What the two platforms that are Linux programs (hosted, and the ring-0 runtime on the
 * kernel's Linux ABI) share beyond the platform contract; linux-common.c implements both.
 */
#ifndef RTJS_PLATFORM_LINUX_COMMON_H
#define RTJS_PLATFORM_LINUX_COMMON_H

#include <stdint.h>

/* The part of an engine's waiter a waker touches. `woken` is the futex word; `sleeping` tells
 * a waker whether a FUTEX_WAKE is needed, so that waking an engine that is running (the
 * common case when messages stream) costs one atomic exchange and no system call. The two
 * are ordered as in Dekker's algorithm (sequentially consistent atomics): a waiter sets
 * `sleeping` before its last look at `woken`, a waker sets `woken` before it looks at
 * `sleeping`, so one of them always sees the other; FUTEX_WAIT itself re-checks that `woken`
 * is still 0 (futex(2)). */
struct waiter_word {
	_Atomic uint32_t woken;
	_Atomic uint32_t sleeping;
};

/* One futex wait while `woken` is 0, until a waker or the CLOCK_MONOTONIC deadline in ns
 * (UINT64_MAX: none). The caller has set `sleeping`. Returns -ETIMEDOUT at the deadline,
 * else 0 (woken, or returned early: the caller looks at `woken` again). */
int waiter_sleep(struct waiter_word *w, uint64_t deadline_ns);

/* Sets `woken`, and wakes the waiter if it may be asleep on it. */
void waiter_wake(struct waiter_word *w);

#endif
