/* Interrupt entry: one stub per vector, one common path (SDM vol. 3A, 6.14).
 * The CPU has switched to the vector's IST stack and pushed SS, RSP, RFLAGS, CS, RIP
 * (and an error code for some exceptions). The frame built here is struct intr_frame
 * (intr/intr.h). intr_dispatch returns the frame to resume, normally the same one. */

	.text

/* Vectors whose exceptions push an error code (SDM vol. 3A, table 6-1):
 * #DF 8, #TS 10, #NP 11, #SS 12, #GP 13, #PF 14, #AC 17, #CP 21, #VC 29, #SX 30. */
	.macro stub v
	.balign 16
	.if !((\v == 8) || (\v >= 10 && \v <= 14) || (\v == 17) || (\v == 21) || (\v == 29) || (\v == 30))
	pushq $0                       /* error-code slot for vectors without one */
	.endif
	pushq $\v                      /* vector slot */
	jmp intr_common
	.endm

	.globl intr_stubs_start
intr_stubs_start:
	.altmacro
	.set v, 0
	.rept 256
	stub %v
	.set v, v + 1
	.endr

intr_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	cld                            /* the C ABI wants DF clear */
	movq %rsp, %rdi                /* struct intr_frame *; RSP is 16-byte aligned here:
	                                  the CPU aligned it, then 22 quadwords were pushed */
	call intr_dispatch
	movq %rax, %rsp                /* the frame to resume (intr_return_to) */
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp                 /* vector and error code */
	iretq

	.section .rodata
	.balign 8
	.globl intr_stub_table
intr_stub_table:
	.set v, 0
	.rept 256
	.quad intr_stubs_start + v * 16
	.set v, v + 1
	.endr

	.section .note.GNU-stack, "", @progbits
