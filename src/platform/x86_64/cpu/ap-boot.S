/* Start-up code for application processors, copied to AP_TRAMPOLINE (physical, below
 * 1 MiB) by cpu/smp.c. A SIPI starts the AP in real mode at AP_TRAMPOLINE with CS =
 * AP_TRAMPOLINE >> 4, IP = 0 (SDM vol. 3A, 8.4.4.1). It climbs to long mode with the
 * kernel's page tables (which identity-map this page while APs start), then jumps to
 * ap_main in the higher half. The BSP fills the data block at the end first. */

#define AP_TRAMPOLINE 0x8000
#define ABS(sym) ((sym) - ap_trampoline_start + AP_TRAMPOLINE)
#define CR0_PE (1 << 0)
#define CR0_WP (1 << 16)
#define CR0_PG (1 << 31)
/* INIT leaves caching disabled (CR0 = 0x60000010, SDM vol. 3A, table 9-1): the BIOS
 * clears CD and NW on the boot CPU only, so each AP clears them itself. */
#define CR0_NW (1 << 29)
#define CR0_CD (1 << 30)
#define CR4_PAE (1 << 5)
#define MSR_EFER 0xC0000080
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)

	.section .rodata
	.balign 16
	.globl ap_trampoline_start, ap_trampoline_end
	.globl ap_data_cr3, ap_data_stack, ap_data_entry, ap_data_index, ap_data_efer
ap_trampoline_start:
	.code16
	cli
	cld
	xorw %ax, %ax
	movw %ax, %ds
	lgdtl ABS(ap_gdt_ptr)
	movl %cr0, %eax
	andl $~(CR0_CD | CR0_NW), %eax
	orl $CR0_PE, %eax
	movl %eax, %cr0
	ljmpl $0x18, $ABS(ap_protected)

	.code32
ap_protected:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %ss
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl ABS(ap_data_cr3), %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	movl ABS(ap_data_efer), %eax     /* LME, and NXE when the CPU has NX */
	xorl %edx, %edx
	wrmsr
	movl %cr0, %eax
	orl $(CR0_PG | CR0_WP), %eax
	movl %eax, %cr0
	ljmpl $0x08, $ABS(ap_long)

	.code64
ap_long:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movq ABS(ap_data_stack), %rsp
	movl ABS(ap_data_index), %edi   /* first argument of ap_main */
	xorl %ebp, %ebp
	movq ABS(ap_data_entry), %rax
	call *%rax
1:	cli
	hlt
	jmp 1b

	.balign 8
ap_gdt:
	.quad 0
	.quad 0x00af9a000000ffff       /* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff       /* 0x10: data */
	.quad 0x00cf9a000000ffff       /* 0x18: 32-bit code */
ap_gdt_ptr:
	.short ap_gdt_ptr - ap_gdt - 1
	.long ABS(ap_gdt)

	.balign 8
ap_data_cr3: .quad 0
ap_data_stack: .quad 0
ap_data_entry: .quad 0
ap_data_index: .quad 0
ap_data_efer: .quad 0
ap_trampoline_end:

	.section .note.GNU-stack, "", @progbits
