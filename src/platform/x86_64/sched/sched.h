/* Threads of the hosted program and the scheduler that runs them on every CPU.
 *
 * Every program thread has its own kernel stack (the syscall entry switches to it through
 * this_cpu()->kernel_stack, which the scheduler sets on every switch), its FS base and its
 * x87/SSE/AVX state. A thread gives up the CPU when it blocks in a system call, or is
 * preempted by the local APIC tick when its slice is over and it was running program code
 * (kernel code is never preempted: it may hold locks). An idle thread halts the CPU when
 * nobody is runnable. Each CPU has its run queue and sleepers under its own lock (taken with
 * interrupts off); an idle CPU takes runnable threads off another's queue. A futex bucket
 * lock (sched/futex.c) may be held while taking a queue lock, never the other way round. */
#ifndef RTJS_SCHED_H
#define RTJS_SCHED_H

#include <stddef.h>
#include <stdint.h>

#include "sched/futex-table.h"
#include "sched/runqueue.h"

#define SCHED_TICK_HZ 1000 /* futex timeouts and sleeps end within one tick */
#define SCHED_SLICE_TICKS 10

enum thread_state { THREAD_RUNNING, THREAD_RUNNABLE, THREAD_BLOCKED, THREAD_DEAD };

struct thread {
	struct rq_node rq; /* first: the queues hand back rq_node pointers */
	int tid;
	enum thread_state state;
	int woken;           /* a wake-up arrived since sched_prepare_block */
	int idle;            /* the idle thread: kernel only, no program state */
	uint64_t saved_rsp;  /* kernel RSP while switched out (sched/switch.S) */
	uint64_t kstack_top; /* where the syscall entry starts on this thread's stack */
	size_t kstack_pages; /* 0: not ours to free (the boot-time syscall stack) */
	uint64_t fs_base;    /* MSR_FS_BASE while switched out */
	void *vector;        /* XSAVE/FXSAVE area, 64-byte aligned (cpu/features.h) */
	size_t vector_pages;
	uint64_t slice_end;  /* tick at which a preemption is due */
	uint64_t clear_child_tid; /* set_tid_address / CLONE_CHILD_CLEARTID: 0 and wake on exit */
	uint64_t robust_list;
	struct futex_waiter fw;
	struct thread *next_dead;
	struct thread *next_live; /* all live threads, for sched_find */
	uint64_t affinity;        /* CPUs it may run on (bit n: CPU index n); 0: any */
	unsigned cpu;             /* its home: the CPU whose run queue lock guards its state */
	uint64_t cpu_ns;          /* CPU time used before its current run */
	uint64_t ran_since;       /* monotonic ns when its current run began */
};

/* Makes the calling context the program's main thread (tid `tid`), creates the idle thread
 * and starts the scheduler tick. Call once, after syscall_init, either before entering the
 * program or from a system call of its (sched/sys-thread.c does so on first use).
 * 0, or -ENOMEM / -ENODEV (no APIC timer). */
int sched_init(int tid);
/* 1 after sched_init. */
int sched_running(void);
struct thread *sched_current(void);

/* Blocking, in two steps so that a wake-up between them is not lost: prepare (the caller
 * then publishes the thread to its wakers, e.g. in the futex table), then block until
 * sched_wake or the monotonic deadline (UINT64_MAX: none). Returns 1 if woken, 0 if the
 * deadline passed first. Interrupts must be enabled and no spinlock held. */
void sched_prepare_block(void);
int sched_block(uint64_t deadline_ns);
/* Sleeps until the monotonic deadline, letting other threads run. */
void sched_sleep_until(uint64_t deadline_ns);
/* Makes t runnable if it is blocked (or makes its next sched_block return at once). Any
 * context, any CPU. */
void sched_wake(struct thread *t);
/* The live thread with this tid, or NULL. The pointer is valid only while the caller
 * knows the thread cannot exit (e.g. it is the caller). */
struct thread *sched_find(int tid);
/* CPU time (ns) of thread t (NULL: the caller), and of the whole program (every thread
 * that ran, exited ones included; other CPUs' current runs count once they end). */
uint64_t sched_thread_cpu_ns(struct thread *t);
uint64_t sched_process_cpu_ns(void);
/* CPUs that run program threads (bit n: CPU index n). */
uint64_t sched_cpu_mask(void);
/* Restricts t to the CPUs in mask (those not running threads are ignored); -EINVAL if
 * none is left. The caller moves at once if its CPU is no longer allowed. */
int sched_set_affinity(struct thread *t, uint64_t mask);
/* Puts the caller at the back of the run queue. */
void sched_yield(void);

/* A new program thread that will return from the current system call with RAX = 0 on
 * stack `user_rsp` (same RIP and argument registers as the caller), FS base `fs_base`,
 * and a copy of the caller's vector state. Made runnable at once; NULL on ENOMEM. */
struct thread *sched_clone_current(uint64_t user_rsp, uint64_t fs_base, int tid);
/* Ends the calling thread. Returns only if it was the last one (the caller then ends the
 * program with status). */
void sched_exit_thread(void);

/* Futexes (sched/futex.c). futex(2) semantics: wait -EAGAIN if *uaddr != val, -ETIMEDOUT;
 * wake returns how many; bitset 0 is -EINVAL. */
long futex_wait(uint64_t uaddr, uint32_t val, uint32_t bitset, uint64_t deadline_ns);
/* futex_wait for a caller that has called sched_prepare_block itself (it waits for other
 * events too, whose sched_wake must not be lost before the futex check). */
long futex_wait_prepared(uint64_t uaddr, uint32_t val, uint32_t bitset, uint64_t deadline_ns);
long futex_wake(uint64_t uaddr, int n, uint32_t bitset);
long futex_requeue(uint64_t uaddr, int nwake, int nrequeue, uint64_t uaddr2, int check, uint32_t val);

/* sched/switch.S: saves callee-saved registers on the current stack, stores RSP in
 * *save_rsp, loads new_rsp and returns on the other thread. */
void sched_switch_stack(uint64_t *save_rsp, uint64_t new_rsp);

#endif
