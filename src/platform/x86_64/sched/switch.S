/* Thread switches and the first entries of new threads (sched/thread.c).
 *
 * A switched-out thread's kernel stack holds, from its saved RSP upwards: r15 r14 r13 r12
 * rbx rbp (the registers the psABI, 3.2.1, makes callee-saved) and the address to resume
 * at. Everything else the C caller of sched_switch_stack already considers clobbered. */

	.text
/* void sched_switch_stack(uint64_t *save_rsp [rdi], uint64_t new_rsp [rsi])
 * Called with interrupts off and the scheduler lock held; the thread it resumes drops it. */
	.globl sched_switch_stack
	.type sched_switch_stack, @function
sched_switch_stack:
	push %rbp                  /* callee-saved registers of the outgoing thread */
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, (%rdi)           /* its resume point: the stack holds everything else */
	mov %rsi, %rsp             /* the incoming thread's stack, laid out the same way */
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret                        /* into its sched_switch_stack caller or a first entry below */
	.size sched_switch_stack, .-sched_switch_stack

/* First entry of a clone child. RSP points at a struct syscall_frame (linux/syscall.h) copied
 * from the parent, with the child's stack in frame.rsp; RSP is 16-byte aligned. The exit is
 * the syscall entry's own return path (linux/syscall-entry.S), with RAX = 0. */
	.globl sched_clone_entry
	.type sched_clone_entry, @function
sched_clone_entry:
	call sched_first_run       /* drops the scheduler lock (interrupts stay off) */
	xor %eax, %eax             /* the child's clone() result */
	jmp syscall_return
	.size sched_clone_entry, .-sched_clone_entry

/* First entry of a kernel thread: R12 = function, R13 = its argument (set up by
 * sched/thread.c in the saved-register slots). RSP is 16-byte aligned. */
	.globl sched_kthread_entry
	.type sched_kthread_entry, @function
sched_kthread_entry:
	call sched_first_run
	mov %r13, %rdi
	call *%r12                 /* must not return */
	ud2
	.size sched_kthread_entry, .-sched_kthread_entry

/* Where a preempted thread continues after the tick's iretq (sched_tick): on its own kernel
 * stack, interrupts off, RSP at a copy of the struct intr_frame (intr/intr.h) the tick
 * interrupted, 16-byte aligned. When the scheduler picks it again, the frame is resumed the
 * way intr/isr.S resumes one. */
	.globl sched_preempt_entry
	.type sched_preempt_entry, @function
sched_preempt_entry:
	call sched_preempted       /* switches away; returns when this thread runs again */
	pop %r15                   /* struct intr_frame, lowest address first */
	pop %r14
	pop %r13
	pop %r12
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rbp
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rbx
	pop %rax
	add $16, %rsp              /* vector and error code */
	iretq                      /* RIP, CS, RFLAGS, RSP, SS of the program */
	.size sched_preempt_entry, .-sched_preempt_entry
	.section .note.GNU-stack,"",@progbits
