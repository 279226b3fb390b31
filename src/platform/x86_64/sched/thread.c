/* Threads and the scheduler (contract in sched/sched.h). */
#include "sched/sched.h"

#include <errno.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/features.h"
#include "cpu/gdt.h"
#include "cpu/percpu.h"
#include "cpu/smp.h"
#include "cpu/spinlock.h"
#include "intr/apic.h"
#include "intr/intr.h"
#include "lib/log.h"
#include "linux/syscall.h"
#include "mm/heap.h"
#include "mm/paging.h"
#include "time/clock.h"
#include "time/timer.h"

#define KSTACK_PAGES 16 /* 64 KiB, like the boot-time syscall stack (linux/syscall.c) */
#define SWITCH_SAVED_REGS 6 /* r15 r14 r13 r12 rbx rbp (sched/switch.S) */
#define SLOT_R12 3          /* index of r12 among them, lowest address first */
#define SLOT_R13 2
#define RFLAGS_RESERVED (1u << 1) /* bit 1 always reads 1 (SDM vol. 1, 3.4.3) */
/* Wakes a halted idle CPU when a thread becomes runnable (intr/intr.h leaves VEC_IPI_BASE
 * and up to the Linux layer; mm/tlb.c uses VEC_IPI_BASE + 14). */
#define VEC_SCHED_WAKE (VEC_IPI_BASE + 1)

extern char sched_clone_entry[], sched_kthread_entry[], sched_preempt_entry[];
void sched_first_run(void);
void sched_preempted(void);

/* A run queue per CPU, each under its own lock: a thread's state, its place in a queue and
 * its accounting are guarded by the lock of its home CPU (t->cpu), which changes only while
 * the thread is off every queue (a move after its switch-out) or by a CPU that takes it
 * off another's queue holding that queue's lock (stealing). */
struct cpu_queue {
	spinlock_t lock;
	struct runqueue q;
} __attribute__((aligned(64))); /* a cache line each: CPUs do not share one */

static struct cpu_queue queues[PERCPU_MAX_CPUS];
/* The live and dead threads; taken without a queue lock held (below them in rank). */
static spinlock_t threads_lock = SPINLOCK_INIT(THREADS, "threads");
static struct thread *idle_threads[PERCPU_MAX_CPUS];
static struct addr_space *program_as;
static uint64_t halted_cpus; /* bit n: CPU n's idle thread is halted (sti; hlt) */
static uint64_t cpu_mask;    /* bit n: CPU n runs program threads */
static uint64_t process_cpu_ns; /* CPU time of finished runs of program threads (atomic) */
static struct thread *dead_threads; /* exited; their stacks are freed by someone else */
static struct thread *live_list;
static unsigned live_threads;
static int started;

struct thread *sched_current(void) { return this_cpu()->thread; }
#define current_thread ((struct thread *)this_cpu()->thread)
int sched_running(void) { return started; }

static struct cpu_queue *here(void)
{
	return &queues[this_cpu()->cpu_index];
}

/* Locks the queue of t's home CPU, which cannot change while it is held. */
static struct cpu_queue *lock_home(struct thread *t, uint64_t *fl)
{
	for (;;) {
		unsigned cpu = __atomic_load_n(&t->cpu, __ATOMIC_ACQUIRE);
		struct cpu_queue *cq = &queues[cpu];
		*fl = spin_lock(&cq->lock);
		if (__atomic_load_n(&t->cpu, __ATOMIC_RELAXED) == cpu)
			return cq;
		spin_unlock(&cq->lock, *fl);
	}
}

/* What the thread switched to does for the one switched out, once the queue lock is
 * released (the old thread's stack is no longer in use then): queue it on the CPU it
 * moves to, or hand it to the reaper. */
struct switch_after {
	struct thread *moving, *dead;
};
static struct switch_after after[PERCPU_MAX_CPUS];

/* ---- switching ---------------------------------------------------------------------- */

static void switch_program_state(struct thread *prev, struct thread *next)
{
	if (!prev->idle) {
		prev->fs_base = rdmsr(MSR_FS_BASE);
		cpu_vector_save(prev->vector);
	}
	if (!next->idle) {
		wrmsr(MSR_FS_BASE, next->fs_base);
		cpu_vector_restore(next->vector);
	}
}

static void kick_for(const struct thread *t, unsigned home);

static int allowed_on(const struct thread *t, unsigned cpu)
{
	return !t->affinity || ((t->affinity >> cpu) & 1);
}

static int runs_here(const struct rq_node *n, void *ctx)
{
	return allowed_on((const struct thread *)n, *(const unsigned *)ctx);
}

/* The lowest CPU t may run on. */
static unsigned first_allowed(const struct thread *t)
{
	uint64_t m = (t->affinity ? t->affinity : ~UINT64_C(0)) & __atomic_load_n(&cpu_mask, __ATOMIC_ACQUIRE);
	return m ? (unsigned)__builtin_ctzll(m) : 0;
}

/* How many threads want CPU `cpu`: its queue, and the one it runs unless it is halted in its
 * idle loop. Read without that CPU's lock: a hint for balancing, never for correctness. */
static unsigned load_of(unsigned cpu)
{
	unsigned running = !((__atomic_load_n(&halted_cpus, __ATOMIC_RELAXED) >> cpu) & 1);
	return __atomic_load_n(&queues[cpu].q.runnable, __ATOMIC_RELAXED) + running;
}

/* A runnable thread allowed here from another CPU's queue, made ours; NULL when none. With
 * gap 0 any queue will do (this CPU has nothing to run); else only a CPU with at least
 * `gap` more threads wanting it than this one (`mine`), the busiest first tried. Called
 * with this CPU's queue lock held: the other lock is only tried, so two CPUs stealing from
 * each other cannot deadlock. */
static struct thread *steal(unsigned cpu, unsigned mine, unsigned gap)
{
	uint64_t mask = __atomic_load_n(&cpu_mask, __ATOMIC_ACQUIRE) & ~(UINT64_C(1) << cpu);
	while (mask) {
		unsigned other = (unsigned)__builtin_ctzll(mask);
		if (gap) { /* the busiest of those left */
			for (uint64_t m = mask & (mask - 1); m; m &= m - 1)
				if (load_of((unsigned)__builtin_ctzll(m)) > load_of(other))
					other = (unsigned)__builtin_ctzll(m);
			if (load_of(other) < mine + gap)
				return NULL;
		}
		mask &= ~(UINT64_C(1) << other);
		struct cpu_queue *oq = &queues[other];
		if (!__atomic_load_n(&oq->q.runnable, __ATOMIC_RELAXED) || !spin_trylock(&oq->lock))
			continue;
		struct thread *t = (struct thread *)rq_pop_first(&oq->q, runs_here, &cpu);
		if (t)
			__atomic_store_n(&t->cpu, cpu, __ATOMIC_RELEASE);
		spin_untrylock(&oq->lock);
		if (t)
			return t;
	}
	return NULL;
}

/* Picks the next thread allowed on this CPU (its own queue first, then another's) and
 * switches to it. Called with this CPU's queue lock held (interrupts off); returns, with
 * the lock of the CPU the caller then runs on held, when the caller's thread is picked
 * again: 1, or 0 at once if the caller keeps the CPU. The caller has set its own state:
 * RUNNING means "still wants the CPU". */
static int schedule_locked(void)
{
	struct thread *prev = current_thread;
	unsigned cpu = this_cpu()->cpu_index;
	struct cpu_queue *cq = &queues[cpu];
	if (prev->state == THREAD_RUNNING && !prev->idle) {
		prev->state = THREAD_RUNNABLE;
		if (allowed_on(prev, cpu)) {
			rq_push(&cq->q, &prev->rq);
		} else { /* pinned elsewhere now: queued there once switched out */
			__atomic_store_n(&prev->cpu, first_allowed(prev), __ATOMIC_RELEASE);
			after[cpu].moving = prev;
		}
	}
	struct thread *next = (struct thread *)rq_pop_first(&cq->q, runs_here, &cpu);
	if (!next)
		next = steal(cpu, 0, 0);
	if (!next)
		next = prev->state == THREAD_RUNNING ? prev : idle_threads[cpu];
	next->state = THREAD_RUNNING;
	next->slice_end = timer_ticks() + SCHED_SLICE_TICKS;
	if (next == prev)
		return 0;
	if (prev->idle) /* busy now: kick someone else */
		__atomic_and_fetch(&halted_cpus, ~(UINT64_C(1) << cpu), __ATOMIC_SEQ_CST);
	uint64_t now = clock_monotonic_ns();
	if (!prev->idle) {
		prev->cpu_ns += now - prev->ran_since;
		__atomic_add_fetch(&process_cpu_ns, now - prev->ran_since, __ATOMIC_RELAXED);
	}
	next->ran_since = now;
	switch_program_state(prev, next);
	this_cpu()->kernel_stack = next->kstack_top;
	this_cpu()->thread = next;
	sched_switch_stack(&prev->saved_rsp, next->saved_rsp);
	return 1;
}

/* Sends t, off every queue, to the first CPU it may run on: called with its home's lock
 * held, which it lets go of (fl: that lock's interrupt state). */
static void queue_elsewhere(struct thread *t, struct cpu_queue *home, uint64_t fl)
{
	__atomic_store_n(&t->cpu, first_allowed(t), __ATOMIC_RELEASE);
	spin_unlock(&home->lock, fl);
	struct cpu_queue *to = lock_home(t, &fl);
	rq_push(&to->q, &t->rq);
	kick_for(t, (unsigned)(to - queues));
	spin_unlock(&to->lock, fl);
}

static int is_thread(const struct rq_node *n, void *ctx)
{
	return n == ctx;
}

/* Lets go of this CPU's queue lock after a schedule_locked, and does what the switch left
 * for afterwards (struct switch_after). */
static void unlock_after_switch(uint64_t fl)
{
	unsigned cpu = this_cpu()->cpu_index;
	struct switch_after a = after[cpu];
	after[cpu] = (struct switch_after){ NULL, NULL };
	spin_unlock(&queues[cpu].lock, fl);
	if (a.moving) {
		uint64_t f2;
		struct cpu_queue *to = lock_home(a.moving, &f2);
		rq_push(&to->q, &a.moving->rq);
		kick_for(a.moving, (unsigned)(to - queues));
		spin_unlock(&to->lock, f2);
	}
	if (a.dead) {
		uint64_t f2 = spin_lock(&threads_lock);
		a.dead->next_dead = dead_threads;
		dead_threads = a.dead;
		spin_unlock(&threads_lock, f2);
	}
}

/* Called with t's home queue locked after t was queued there: a halted CPU would otherwise
 * notice it only at its next tick. The home CPU if it is halted; else, if t may run
 * elsewhere, another halted CPU that may run it (its idle loop steals it). */
static void kick_for(const struct thread *t, unsigned home)
{
	/* Pairs with idle_loop's "set halted bit, then look at the queues": the queue update
	 * must be visible before the bits are read (x86 reorders a store and a later load). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	unsigned me = this_cpu()->cpu_index;
	uint64_t halted = __atomic_load_n(&halted_cpus, __ATOMIC_RELAXED);
	unsigned target;
	if (home != me && ((halted >> home) & 1) && allowed_on(t, home)) {
		target = home;
	} else {
		uint64_t others = halted & ~(UINT64_C(1) << me) & ~(UINT64_C(1) << home);
		if (t->affinity)
			others &= t->affinity;
		if (!others)
			return;
		target = (unsigned)__builtin_ctzll(others);
	}
	struct percpu *p = smp_cpu(target);
	if (p)
		lapic_send_ipi(p->lapic_id, VEC_SCHED_WAKE);
}

static int on_wake_ipi(struct intr_frame *f, void *ctx)
{
	(void)f, (void)ctx;
	return INTR_HANDLED; /* waking from hlt was the point */
}

/* First code a new thread runs (sched/switch.S): the switch that started it left this
 * CPU's queue lock held; interrupts stay off until the thread's own entry enables them. */
void sched_first_run(void)
{
	unlock_after_switch(0);
}

/* ---- blocking and waking ------------------------------------------------------------- */

void sched_prepare_block(void)
{
	uint64_t fl;
	struct cpu_queue *cq = lock_home(current_thread, &fl);
	current_thread->woken = 0;
	spin_unlock(&cq->lock, fl);
}

int sched_block(uint64_t deadline_ns)
{
	struct thread *t = current_thread;
	lock_may_block("a block");
	struct cpu_queue *cq = here();
	uint64_t fl = spin_lock(&cq->lock);
	if (!t->woken && clock_monotonic_ns() < deadline_ns) {
		t->state = THREAD_BLOCKED;
		if (deadline_ns != UINT64_MAX)
			rq_sleep(&cq->q, &t->rq, deadline_ns);
		if (schedule_locked()) {
			/* Running again, maybe on another CPU: its lock is the one held now. */
			int woken = t->woken;
			t->woken = 0;
			unlock_after_switch(fl);
			return woken;
		}
	}
	int woken = t->woken;
	t->woken = 0;
	spin_unlock(&cq->lock, fl);
	return woken;
}

void sched_sleep_until(uint64_t deadline_ns)
{
	while (clock_monotonic_ns() < deadline_ns) {
		sched_prepare_block();
		sched_block(deadline_ns);
	}
}

void sched_wake(struct thread *t)
{
	uint64_t fl;
	struct cpu_queue *cq = lock_home(t, &fl);
	t->woken = 1;
	if (t->state == THREAD_BLOCKED) {
		rq_unsleep(&cq->q, &t->rq);
		t->state = THREAD_RUNNABLE;
		if (!allowed_on(t, (unsigned)(cq - queues))) { /* its affinity changed meanwhile */
			queue_elsewhere(t, cq, fl);
			return;
		}
		rq_push(&cq->q, &t->rq);
		kick_for(t, (unsigned)(cq - queues));
	}
	spin_unlock(&cq->lock, fl);
}

struct thread *sched_find(int tid)
{
	uint64_t fl = spin_lock(&threads_lock);
	struct thread *t = live_list;
	while (t && t->tid != tid)
		t = t->next_live;
	spin_unlock(&threads_lock, fl);
	return t;
}

static void unlink_live_locked(struct thread *t)
{
	struct thread **pp = &live_list;
	while (*pp && *pp != t)
		pp = &(*pp)->next_live;
	if (*pp)
		*pp = t->next_live;
}

uint64_t sched_thread_cpu_ns(struct thread *t)
{
	if (!started)
		return clock_monotonic_ns();
	if (!t)
		t = current_thread;
	uint64_t fl;
	struct cpu_queue *cq = lock_home(t, &fl);
	uint64_t ns = t->cpu_ns;
	if (t->state == THREAD_RUNNING)
		ns += clock_monotonic_ns() - t->ran_since;
	spin_unlock(&cq->lock, fl);
	return ns;
}

uint64_t sched_process_cpu_ns(void)
{
	if (!started)
		return clock_monotonic_ns();
	uint64_t fl = spin_lock(&here()->lock);
	uint64_t ns = __atomic_load_n(&process_cpu_ns, __ATOMIC_RELAXED) + clock_monotonic_ns() -
		      current_thread->ran_since;
	spin_unlock(&here()->lock, fl);
	return ns;
}

uint64_t sched_cpu_mask(void)
{
	return __atomic_load_n(&cpu_mask, __ATOMIC_ACQUIRE);
}

int sched_set_affinity(struct thread *t, uint64_t mask)
{
	mask &= sched_cpu_mask();
	if (!mask)
		return -EINVAL;
	uint64_t fl;
	struct cpu_queue *cq = lock_home(t, &fl);
	t->affinity = mask == sched_cpu_mask() ? 0 : mask;
	if (t->state == THREAD_RUNNABLE && !allowed_on(t, (unsigned)(cq - queues)) &&
	    rq_pop_first(&cq->q, is_thread, t))
		queue_elsewhere(t, cq, fl); /* waiting in a queue it may no longer run from */
	else
		spin_unlock(&cq->lock, fl);
	if (t == current_thread && !allowed_on(t, this_cpu()->cpu_index)) {
		/* Move now, even with nothing else to run here: schedule_locked sends the
		 * caller to an allowed CPU and leaves this one to its idle thread. */
		lock_may_block("a move to another CPU");
		fl = spin_lock(&here()->lock);
		if (schedule_locked())
			unlock_after_switch(fl);
		else
			spin_unlock(&here()->lock, fl);
	}
	return 0;
}

void sched_yield(void)
{
	lock_may_block("a yield");
	struct cpu_queue *cq = here();
	uint64_t fl = spin_lock(&cq->lock);
	if (cq->q.runnable && schedule_locked()) {
		unlock_after_switch(fl);
		return;
	}
	spin_unlock(&cq->lock, fl);
}

/* ---- the tick: timeouts and preemption ----------------------------------------------- */

static void wake_expired_locked(struct cpu_queue *cq, uint64_t now)
{
	struct rq_node *n;
	while ((n = rq_expired(&cq->q, now))) {
		struct thread *t = (struct thread *)n;
		t->state = THREAD_RUNNABLE;
		rq_push(&cq->q, &t->rq);
		if (!current_thread->idle) /* an idle CPU runs it when the tick returns */
			kick_for(t, (unsigned)(cq - queues));
	}
}

void sched_preempted(void)
{
	uint64_t fl = spin_lock(&here()->lock);
	if (schedule_locked())
		unlock_after_switch(fl);
	else
		spin_unlock(&here()->lock, fl);
}

/* Makes the interrupted program thread continue in sched_preempt_entry on its own kernel
 * stack (unused while it runs program code) with a copy of the interrupted frame there. */
static void preempt(struct intr_frame *f, struct thread *t)
{
	struct intr_frame *saved = (struct intr_frame *)(t->kstack_top - sizeof *saved);
	struct intr_frame *detour = saved - 1;
	*saved = *f;
	memset(detour, 0, sizeof *detour);
	detour->rip = (uint64_t)(uintptr_t)sched_preempt_entry;
	detour->cs = GDT_KCODE;
	detour->rflags = RFLAGS_RESERVED; /* interrupts off until the frame is resumed */
	detour->rsp = (uint64_t)(uintptr_t)saved;
	detour->ss = GDT_KDATA;
	intr_return_to(detour);
}

/* Balancing between busy CPUs: a CPU pulls a thread only when it is idle (schedule_locked)
 * or, here, when another CPU has two or more threads more wanting it than this one (say
 * three there, one here: a thread pinned here and three others queued there). A gap of one
 * is left alone: moving a thread would only swap which CPU has the extra one. The pulled
 * thread takes turns with this CPU's own at the next slice end. Threads pinned elsewhere
 * (affinity) are never taken. Every BALANCE_TICKS per CPU: a thread moved has to refill
 * its caches, so not at every tick. */
#define BALANCE_TICKS (4 * SCHED_SLICE_TICKS)
static uint64_t next_balance[PERCPU_MAX_CPUS];

static void balance_locked(struct cpu_queue *cq, const struct thread *cur)
{
	unsigned cpu = (unsigned)(cq - queues);
	uint64_t now = timer_ticks();
	if (cur->idle || now < next_balance[cpu])
		return;
	next_balance[cpu] = now + BALANCE_TICKS;
	struct thread *t = steal(cpu, cq->q.runnable + 1, 2);
	if (t)
		rq_push(&cq->q, &t->rq);
}

/* The tick runs with interrupts off; it cannot interrupt a holder of this CPU's queue lock
 * on this CPU, because spin_lock keeps interrupts off while held. */
static void sched_tick(struct intr_frame *f, void *ctx)
{
	(void)ctx;
	struct thread *t = current_thread;
	struct cpu_queue *cq = here();
	uint64_t fl = spin_lock(&cq->lock);
	wake_expired_locked(cq, clock_monotonic_ns());
	balance_locked(cq, t);
	int due = cq->q.runnable && !t->idle && timer_ticks() >= t->slice_end;
	spin_unlock(&cq->lock, fl);
	/* Only program code (lower half) is preempted: kernel code may hold locks. */
	if (due && f->rip < USER_TOP)
		preempt(f, t);
}

/* ---- creating threads ---------------------------------------------------------------- */

static struct thread *thread_alloc(void)
{
	struct thread *t = kzalloc(sizeof *t);
	if (!t)
		return NULL;
	t->vector_pages = PAGE_ALIGN_UP(cpu_features()->xsave_size) / PAGE_SIZE;
	if (!t->vector_pages)
		t->vector_pages = 1;
	t->vector = kmalloc_pages(t->vector_pages); /* page aligned: more than XSAVE's 64 */
	t->kstack_pages = KSTACK_PAGES;
	t->kstack_top = vm_alloc_stack(KSTACK_PAGES);
	if (!t->vector || !t->kstack_top) {
		kfree(t->vector);
		if (t->kstack_top)
			vm_free_stack(t->kstack_top, KSTACK_PAGES);
		kfree(t);
		return NULL;
	}
	t->fw.owner = t;
	return t;
}

static void thread_free(struct thread *t)
{
	if (t->kstack_pages)
		vm_free_stack(t->kstack_top, t->kstack_pages);
	kfree(t->vector);
	kfree(t);
}

/* Lays out t's stack so that the first switch to it "returns" into entry, with the saved
 * registers zero except r12/r13, below `below` (16-byte aligned; entry then starts with
 * RSP = below, as a function after its call would have RSP + 8 aligned). */
static void prepare_first_switch(struct thread *t, uint64_t below, void *entry, uint64_t r12, uint64_t r13)
{
	uint64_t *sp = (uint64_t *)(uintptr_t)below;
	*--sp = (uint64_t)(uintptr_t)entry;
	for (int i = 0; i < SWITCH_SAVED_REGS; i++)
		*--sp = 0;
	sp[SLOT_R12] = r12;
	sp[SLOT_R13] = r13;
	t->saved_rsp = (uint64_t)(uintptr_t)sp;
}

/* Frees the stacks of exited threads. Interrupts on, no lock held (vm_free_stack may
 * wait for other CPUs). */
static void reap_dead(void)
{
	uint64_t fl = spin_lock(&threads_lock);
	struct thread *list = dead_threads;
	dead_threads = NULL;
	spin_unlock(&threads_lock, fl);
	while (list) {
		struct thread *next = list->next_dead;
		thread_free(list);
		list = next;
	}
}

struct thread *sched_clone_current(uint64_t user_rsp, uint64_t fs_base, int tid)
{
	reap_dead();
	struct thread *t = thread_alloc();
	if (!t)
		return NULL;
	/* The caller's frame sits at the top of its kernel stack (linux/syscall-entry.S). */
	const struct syscall_frame *pf =
		(const struct syscall_frame *)(current_thread->kstack_top - sizeof *pf);
	struct syscall_frame *cf = (struct syscall_frame *)(t->kstack_top - sizeof *cf);
	*cf = *pf;
	cf->rsp = user_rsp;
	_Static_assert(sizeof(struct syscall_frame) % 16 == 0, "clone entry needs RSP aligned");
	prepare_first_switch(t, (uint64_t)(uintptr_t)cf, sched_clone_entry, 0, 0);
	t->tid = tid;
	t->fs_base = fs_base;
	t->affinity = current_thread->affinity; /* as Linux: a thread inherits its creator's */
	cpu_vector_save(t->vector); /* the caller's registers: the kernel never touches them */
	uint64_t fl = spin_lock(&threads_lock);
	live_threads++;
	t->next_live = live_list;
	live_list = t;
	spin_unlock(&threads_lock, fl);
	unsigned cpu = allowed_on(t, this_cpu()->cpu_index) ? this_cpu()->cpu_index : first_allowed(t);
	t->cpu = cpu;
	t->state = THREAD_RUNNABLE;
	fl = spin_lock(&queues[cpu].lock);
	rq_push(&queues[cpu].q, &t->rq);
	kick_for(t, cpu);
	spin_unlock(&queues[cpu].lock, fl);
	return t;
}

void sched_exit_thread(void)
{
	lock_may_block("a thread's exit");
	uint64_t fl = spin_lock(&threads_lock);
	if (live_threads == 1) {
		spin_unlock(&threads_lock, fl);
		return;
	}
	live_threads--;
	struct thread *t = current_thread;
	unlink_live_locked(t);
	spin_unlock(&threads_lock, fl);
	fl = spin_lock(&here()->lock);
	t->state = THREAD_DEAD;
	after[this_cpu()->cpu_index].dead = t; /* reaped once off its stack */
	schedule_locked();
	kprintf("sched: dead thread %d resumed\n", t->tid);
	cpu_stop();
}

/* ---- start-up ------------------------------------------------------------------------ */

static void __attribute__((noreturn)) idle_loop(void *arg)
{
	(void)arg;
	uint64_t bit = UINT64_C(1) << this_cpu()->cpu_index;
	for (;;) {
		irq_disable();
		/* Halted bit first, queues second; a waker does the opposite (kick_for), so one of
		 * the two sees the other. */
		__atomic_or_fetch(&halted_cpus, bit, __ATOMIC_SEQ_CST);
		uint64_t fl = spin_lock(&here()->lock);
		int ran = schedule_locked();
		if (ran)
			unlock_after_switch(fl);
		else
			spin_unlock(&here()->lock, fl);
		if (!ran)
			cpu_wait_irq(); /* sti; hlt: a wake-up IPI sent meanwhile is pending, not lost */
		__atomic_and_fetch(&halted_cpus, ~bit, __ATOMIC_SEQ_CST);
		if (dead_threads) {
			irq_enable();
			reap_dead();
		}
	}
}

static struct thread *idle_alloc(unsigned cpu)
{
	struct thread *t = kzalloc(sizeof *t);
	if (!t)
		return NULL;
	t->idle = 1;
	t->state = THREAD_RUNNING;
	idle_threads[cpu] = t;
	return t;
}

/* An application processor joins: the program's address space and system-call entry, its
 * own tick, and this context becomes its idle thread. Runs through smp_start_on. */
static void ap_join(void *arg)
{
	(void)arg;
	struct percpu *p = this_cpu();
	struct thread *idle = idle_alloc(p->cpu_index);
	if (!idle || syscall_init() < 0) {
		kprintf("sched: CPU %u cannot join the scheduler\n", p->cpu_index);
		return;
	}
	as_switch(program_as);
	p->thread = idle;
	__atomic_or_fetch(&cpu_mask, UINT64_C(1) << p->cpu_index, __ATOMIC_RELEASE);
	if (timer_start(SCHED_TICK_HZ) < 0)
		kprintf("sched: CPU %u has no tick\n", p->cpu_index);
	idle_loop(NULL);
}

int sched_init(int tid)
{
	for (unsigned cpu = 0; cpu < PERCPU_MAX_CPUS; cpu++) {
		queues[cpu].lock = (spinlock_t)SPINLOCK_INIT(SCHED, "run queue");
		rq_init(&queues[cpu].q);
	}
	struct thread *main = kzalloc(sizeof *main);
	struct thread *idle = thread_alloc();
	if (!main || !idle)
		return -ENOMEM;
	main->tid = tid;
	main->state = THREAD_RUNNING;
	main->cpu = this_cpu()->cpu_index;
	main->kstack_top = this_cpu()->kernel_stack; /* from syscall_init: not ours to free */
	main->vector_pages = idle->vector_pages;
	main->vector = kmalloc_pages(main->vector_pages);
	if (!main->vector)
		return -ENOMEM;
	main->fw.owner = main;
	main->ran_since = clock_monotonic_ns();
	idle->idle = 1;
	idle->tid = 0;
	prepare_first_switch(idle, idle->kstack_top, sched_kthread_entry, (uint64_t)(uintptr_t)idle_loop, 0);
	idle_threads[this_cpu()->cpu_index] = idle;
	this_cpu()->thread = main;
	live_threads = 1;
	live_list = main;
	cpu_mask = UINT64_C(1) << this_cpu()->cpu_index;
	program_as = as_current();
	timer_set_tick(sched_tick, NULL);
	if (intr_register(VEC_SCHED_WAKE, on_wake_ipi, NULL) < 0)
		return -EBUSY;
	if (timer_start(SCHED_TICK_HZ) < 0)
		return -ENODEV;
	started = 1;
	for (unsigned cpu = 1; cpu < smp_cpu_count(); cpu++)
		if (smp_start_on(cpu, ap_join, NULL) < 0)
			kprintf("sched: CPU %u is busy: it runs no program threads\n", cpu);
	return 0;
}
