/* First link pass: an empty symbol table (cpu/ksyms-gen.sh fills the second). */
	.section .ksyms, "a"
	.balign 8
	.quad 0

	.section .note.GNU-stack, "", @progbits
