/* The vDSO (vdso/vdso.c), built as a shared object for the program's side, carried in the
 * kernel image and mapped into the program by linux/vdso.c. */
	.section .rodata
	.balign 4096
	.globl vdso_image, vdso_image_end
vdso_image:
	.incbin RTJS_VDSO_SO
vdso_image_end:
	.section .note.GNU-stack, "", @progbits
