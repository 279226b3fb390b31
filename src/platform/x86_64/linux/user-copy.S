/* Copies between the kernel and the program's memory that survive the program's memory going
 * away during the copy. A system call checks the range against the memory areas
 * (user_access) and then copies; another thread of the program may unmap or protect the
 * range in between. A fault of the one copying instruction below is served as the program's
 * own would be (paging in) when it can be; when it cannot (the area is gone or forbids the
 * access), the page-fault handler (linux/process.c, on_page_fault) resumes at the fixup,
 * which answers -EFAULT, instead of ending the program as a fault of the kernel's. */
#include <errno.h>

	.text
/* int user_copy(void *dst [rdi], const void *src [rsi], size_t n [rdx]): 0, or -EFAULT when
 * a page of either side could not be made present (bytes before it are copied). Called with
 * interrupts on and no spinlock held: serving the fault takes the memory areas' lock. */
	.globl user_copy
	.type user_copy, @function
user_copy:
	mov %rdx, %rcx             /* rep movsb: RCX bytes from [RSI] to [RDI] */
	.globl user_copy_move
user_copy_move:
	rep movsb                  /* the only instruction whose fault is resumed below; a fault
				    * leaves RCX/RSI/RDI at the byte that faulted (SDM vol. 2B,
				    * REP: "the source and destination registers ... are updated"),
				    * so returning to it after paging in continues the copy */
	xor %eax, %eax
	ret
	.globl user_copy_fixup
user_copy_fixup:
	mov $-EFAULT, %eax
	ret
	.size user_copy, .-user_copy
	.section .note.GNU-stack,"",@progbits
