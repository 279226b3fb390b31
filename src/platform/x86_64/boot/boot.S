/* Multiboot 1 and 2 headers and the 32-bit entry that switches to long mode and jumps
 * to kmain in the higher half.
 *
 * Both headers give explicit load addresses (multiboot 1 "a.out kludge", flag bit 16;
 * multiboot2 address tag) because QEMU's -kernel refuses 64-bit ELF files otherwise,
 * and because the ELF is linked at 0xffffffff80000000 while it must be loaded at 1 MiB.
 * Entry state (both specs): 32-bit protected mode, paging off, EAX = magic,
 * EBX = physical address of the boot information. */

#define KERNEL_VMA 0xffffffff80000000
#define PHYS(sym) ((sym) - KERNEL_VMA)

#define MB1_MAGIC 0x1BADB002
#define MB1_FLAGS ((1 << 0) | (1 << 1) | (1 << 16)) /* page-align modules, memory info, address fields */
#define MB2_MAGIC 0xE85250D6
#define MB2_ARCH_I386 0
#define MB2_TAG_OPTIONAL 1 /* header tag flag: the loader may ignore the tag (multiboot2 3.1.3) */

#define PTE_P 0x1
#define PTE_W 0x2
#define PTE_PS 0x80
#define CR4_PAE (1 << 5)
#define CR0_PE (1 << 0)
#define CR0_WP (1 << 16)
#define CR0_PG (1 << 31)
#define MSR_EFER 0xC0000080
#define EFER_LME (1 << 8)
#define COM1 0x3f8

	.section .multiboot, "a"
	.balign 4
mb1_header:
	.long MB1_MAGIC
	.long MB1_FLAGS
	.long -(MB1_MAGIC + MB1_FLAGS)
	.long mb1_header              /* header_addr (the .boot section is linked physical) */
	.long __kernel_phys_start      /* load_addr */
	.long PHYS(__kernel_load_end)  /* load_end_addr */
	.long PHYS(__kernel_end)       /* bss_end_addr: zeroed by the loader */
	.long _start32                 /* entry_addr */

	.balign 8
mb2_header:
	.long MB2_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	/* address tag (type 2) */
	.short 2, 0
	.long 24
	.long mb2_header
	.long __kernel_phys_start
	.long PHYS(__kernel_load_end)
	.long PHYS(__kernel_end)
	/* entry address tag (type 3) */
	.short 3, 0
	.long 12
	.long _start32
	.long 0                        /* pad: tags are 8-byte aligned */
	/* framebuffer tag (type 5), optional: a linear framebuffer if the loader sets a graphics
	 * mode (UEFI always: there is no VGA text mode); no preferred size, 32 bits a pixel.
	 * grub.cfg keeps text mode on BIOS (gfxpayload=text). */
	.short 5, MB2_TAG_OPTIONAL
	.long 20
	.long 0                        /* width: no preference */
	.long 0                        /* height */
	.long 32                       /* depth */
	.long 0                        /* pad */
	/* end tag */
	.short 0, 0
	.long 8
mb2_header_end:

	.section .boot.text, "ax"
	.code32
	.globl _start32
_start32:
	cli
	cld
	mov %eax, %edi                 /* multiboot magic, first argument of kmain */
	mov %ebx, %esi                 /* boot information, second argument */
	mov $PHYS(boot_stack_top), %esp

	/* Long mode available? CPUID 0x80000001 EDX bit 29 (SDM vol. 2A, CPUID). */
	mov $0x80000000, %eax
	cpuid
	cmp $0x80000001, %eax
	jb no_long_mode
	mov $0x80000001, %eax
	cpuid
	test $(1 << 29), %edx
	jz no_long_mode

	call build_boot_tables

	mov %cr4, %eax
	or $CR4_PAE, %eax
	mov %eax, %cr4
	mov $PHYS(boot_pml4), %eax
	mov %eax, %cr3
	mov $MSR_EFER, %ecx
	rdmsr
	or $EFER_LME, %eax
	wrmsr
	mov %cr0, %eax
	or $(CR0_PG | CR0_PE | CR0_WP), %eax
	mov %eax, %cr0                 /* paging on: now in IA-32e compatibility mode */

	lgdt boot_gdt_ptr
	ljmp $0x08, $start64

/* Boot page tables: the first 4 GiB with 2 MiB pages at 0 (identity, for this code),
 * at 0xffff800000000000 (direct map) and the first 2 GiB at 0xffffffff80000000 (kernel).
 * paging_init replaces them. Clobbers eax, ecx, edx, ebx. */
build_boot_tables:
	/* The loader zeroes .bss, but these must be clean whatever it did. */
	push %edi
	mov $PHYS(boot_tables_start), %edi
	mov $((boot_tables_end - boot_tables_start) / 4), %ecx
	xor %eax, %eax
	rep stosl
	pop %edi

	mov $PHYS(boot_pdpt_low), %eax
	or $(PTE_P | PTE_W), %eax
	mov %eax, PHYS(boot_pml4)               /* slot 0: identity */
	mov %eax, PHYS(boot_pml4) + 256 * 8     /* slot 256: direct map */
	mov $PHYS(boot_pdpt_high), %eax
	or $(PTE_P | PTE_W), %eax
	mov %eax, PHYS(boot_pml4) + 511 * 8     /* slot 511: kernel */

	/* pdpt_low[i] = pd[i], i < 4; pdpt_high[510 + i] = pd[i], i < 2 */
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $12, %eax
	add $PHYS(boot_pd), %eax
	or $(PTE_P | PTE_W), %eax
	mov %eax, PHYS(boot_pdpt_low)(, %ecx, 8)
	cmp $2, %ecx
	jae 2f
	mov %eax, PHYS(boot_pdpt_high) + 510 * 8(, %ecx, 8)
2:	inc %ecx
	cmp $4, %ecx
	jb 1b

	/* pd entries 0..2047: 2 MiB pages covering 0..4 GiB */
	xor %ecx, %ecx
3:	mov %ecx, %eax
	shl $21, %eax
	or $(PTE_P | PTE_W | PTE_PS), %eax
	mov %ecx, %edx
	shr $11, %edx                  /* bits 32+ of the address: entry / 2048 */
	mov %eax, PHYS(boot_pd)(, %ecx, 8)
	mov %edx, PHYS(boot_pd) + 4(, %ecx, 8)
	inc %ecx
	cmp $2048, %ecx
	jb 3b
	ret

no_long_mode:
	mov $msg_no_long_mode, %esi
1:	lodsb
	test %al, %al
	jz 2f
	mov $COM1, %dx
	out %al, %dx
	jmp 1b
2:	cli
	hlt
	jmp 2b

	.code64
start64:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	xor %ax, %ax
	mov %ax, %fs
	mov %ax, %gs
	/* Upper halves of registers are undefined after the mode switch: zero-extend. */
	mov %edi, %edi
	mov %esi, %esi
	movabs $boot_stack_top, %rsp
	xor %ebp, %ebp                 /* ends backtraces */
	movabs $kmain, %rax
	call *%rax
1:	cli
	hlt
	jmp 1b

	.section .boot.data, "a"
	.balign 8
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff       /* 0x08: 64-bit code, DPL 0 (L=1) */
	.quad 0x00cf92000000ffff       /* 0x10: data, DPL 0 */
boot_gdt_ptr:
	.short boot_gdt_ptr - boot_gdt - 1
	.long boot_gdt
msg_no_long_mode:
	.asciz "rtjs: this CPU has no 64-bit long mode; stopped\r\n"

	.section .bss
	.balign 4096
boot_tables_start:
boot_pml4:
	.skip 4096
boot_pdpt_low:
	.skip 4096
boot_pdpt_high:
	.skip 4096
boot_pd:
	.skip 4096 * 4
boot_tables_end:
	/* kmain and linux_start run here: 64 KiB. */
	.globl boot_stack_top
boot_stack:
	.skip 65536
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
