/* The system-call entry for the program running in ring 0 (docs/design.md, "The kernel").
 *
 * `syscall` from CPL0 (SDM vol. 2B, SYSCALL): RCX <- return RIP, R11 <- RFLAGS, CS/SS from
 * STAR, RFLAGS &= ~FMASK (IF, DF, TF, AC cleared). RSP is NOT changed, and the 128 bytes
 * below the caller's RSP are its red zone: nothing may be pushed there, so the first thing
 * done is to move to this CPU's kernel stack. The return cannot use SYSRET (it always lands
 * in ring 3): RFLAGS is restored with popfq on the kernel stack, then RSP, then jmp *RCX. */
#include "cpu/percpu.h"

	.text
	.globl syscall_entry
	.type syscall_entry, @function
syscall_entry:
	mov %rsp, %gs:PERCPU_SCRATCH        /* the caller's RSP, before anything is pushed */
	mov %gs:PERCPU_KERNEL_STACK, %rsp   /* this thread's kernel stack (16-byte aligned) */
	pushq %gs:PERCPU_SCRATCH            /* frame.rsp */
	push %r11                           /* frame.rflags */
	push %rcx                           /* frame.rip */
	push %rax                           /* frame.nr */
	push %r9                            /* arguments: rdi rsi rdx r10 r8 r9 (psABI A.2.1) */
	push %r8
	push %r10
	push %rdx
	push %rsi
	push %rdi                           /* 10 quadwords: RSP stays 16-byte aligned */
	mov %rsp, %rdi                      /* struct syscall_frame * */
	call syscall_dispatch               /* result in RAX; RBX RBP R12-R15 preserved by C */
/* The return to the caller, also a clone child's first exit (sched/switch.S): RSP at the
 * struct syscall_frame, RAX = the result. */
	.globl syscall_return
syscall_return:
	pop %rdi                            /* everything but RAX, RCX and R11 comes back */
	pop %rsi
	pop %rdx
	pop %r10
	pop %r8
	pop %r9
	add $8, %rsp                        /* frame.nr */
	pop %rcx                            /* the return address */
	pop %r11                            /* the caller's RFLAGS (IF included) */
	push %r11
	popfq                               /* restored here: interrupts go to IST stacks */
	mov (%rsp), %rsp                    /* frame.rsp: back on the caller's stack */
	jmp *%rcx
	.size syscall_entry, .-syscall_entry

/* Enters the program for the first time: RDI = its stack (argc on top), RSI = entry.
 * RDX = 0: no exit function for _start to register (psABI 3.4.1). */
	.globl program_enter
	.type program_enter, @function
program_enter:
	mov %rdi, %rsp
	mov %rsi, %rcx
	xor %eax, %eax
	xor %ebx, %ebx
	xor %edx, %edx
	xor %esi, %esi
	xor %edi, %edi
	xor %ebp, %ebp
	xor %r8d, %r8d
	xor %r9d, %r9d
	xor %r10d, %r10d
	xor %r11d, %r11d
	xor %r12d, %r12d
	xor %r13d, %r13d
	xor %r14d, %r14d
	xor %r15d, %r15d
	jmp *%rcx
	.size program_enter, .-program_enter
	.section .note.GNU-stack,"",@progbits
