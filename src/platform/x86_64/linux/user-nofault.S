/* A load from the program's memory where a page fault cannot be served: under a spinlock,
 * interrupts off (a fault would take the memory areas' lock and may zero a page). The
 * page-fault handler (linux/process.c, on_page_fault) resumes a fault of the one load
 * below at its fixup, which answers -EFAULT, instead of paging in; the caller drops its
 * lock, faults the page in (user_fault_in) and tries again, or says -EFAULT. */
#include <errno.h>

	.text
/* int user_load_u32_nofault(uint64_t addr [rdi], uint32_t *out [rsi]): 0, or -EFAULT with
 * *out untouched. */
	.globl user_load_u32_nofault
	.type user_load_u32_nofault, @function
user_load_u32_nofault:
	.globl user_nofault_load
user_nofault_load:
	movl (%rdi), %eax          /* the only instruction whose fault is resumed below */
	movl %eax, (%rsi)
	xor %eax, %eax
	ret
	.globl user_nofault_fixup
user_nofault_fixup:
	mov $-EFAULT, %eax
	ret
	.size user_load_u32_nofault, .-user_load_u32_nofault
	.section .note.GNU-stack,"",@progbits
