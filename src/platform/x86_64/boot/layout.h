/* Symbols from linker.ld describing the kernel image. Addresses are virtual
 * (KERNEL_VMA + physical) except __kernel_phys_start. */
#ifndef RTJS_LAYOUT_H
#define RTJS_LAYOUT_H

extern char __kernel_phys_start[];
extern char __kernel_text_start[], __kernel_rodata_start[], __kernel_data_start[];
extern char __ksyms_start[], __ksyms_end[];
extern char __bss_start[], __bss_end[], __kernel_end[];

#endif
