/*
 * The rtjs-specific system calls: what only the kernel can do for the runtime program,
 * beyond the Linux ABI; and the other facts the kernel and that program share. Included by
 * the kernel (linux/syscall.h, linux/sys-rtjs.c, mm/paging.h) and by the program's
 * platform (runtime/platform.c). Numbers start far above Linux's (which end near 460), so
 * on Linux they are simply unknown (-ENOSYS) and the program can tell where it runs.
 *
 * IRQ numbers: 0-15 are ISA IRQs (routed through the MADT's overrides), 16 and up are
 * IOAPIC inputs (GSIs) for PCI INTx lines (level, active low).
 */
#ifndef RTJS_SYSCALL_NUMBERS_H
#define RTJS_SYSCALL_NUMBERS_H

#include <stdint.h>

#define RTJS_SYS_BASE 0x1000

/* The rtjs calls: X(number, name, argument count, the handler's arguments), one list for
 * the kernel's dispatch table and trace (linux/syscall.c) and the program's numbers
 * (SYS_<name> below). An argument is I (an integer) or P (a pointer into the program's
 * memory, checked by the kernel before use); the handler takes the leading arguments it
 * uses. The calls, by argument:
 *   rtjs_irq_attach (irq): deliver this line to the program; it stays masked after each
 *     interrupt until rtjs_irq_ack. 0, -EINVAL (no such line), -EBUSY (attached already).
 *   rtjs_irq_ack (irq): unmask the line again.
 *   rtjs_irq_detach (irq): stop delivering the line and mask it.
 *   rtjs_wait (deadline_ns CLOCK_MONOTONIC, flags, uint64_t *irqs, uint32_t *word): sleep
 *     until the deadline, an attached IRQ fires, (flags & RTJS_WAIT_CONSOLE) console input
 *     is waiting, or (word not NULL) *word is nonzero or another thread does FUTEX_WAKE on
 *     word (how an engine's loop is woken from another thread). Stores the IRQs that fired
 *     (bit n = irq n) and clears them; returns RTJS_WAIT_* bits of what is ready, 0 at the
 *     deadline. Other threads run meanwhile.
 *   rtjs_dma_alloc (length, uint64_t *phys): zeroed, physically contiguous memory for
 *     device DMA; returns its address (the kernel's direct map, reachable from ring 0) or
 *     -ENOMEM.
 *   rtjs_dma_free (address, length): give back exactly what rtjs_dma_alloc returned
 *     (-EINVAL for anything else).
 *   rtjs_power (how, status): RTJS_POWER_OFF powers the machine off with `status` (ACPI S5
 *     for 0), RTJS_POWER_REBOOT reboots (FADT reset register, else the keyboard
 *     controller). Does not return.
 *   rtjs_map_device (phys, length): where the program reaches physical memory
 *     [phys, phys+length): RAM in the kernel's direct map as is, anything else (device
 *     registers: PCI memory BARs) mapped uncached into the kernel's window. Returns the
 *     address, or -EINVAL.
 *   rtjs_msi_alloc (cpu, uint64_t *address, uint32_t *data): a message-signalled interrupt
 *     vector routed to CPU `cpu` (index, 0 = boot CPU). Returns its IRQ number
 *     (RTJS_MSI_FIRST + n), used with rtjs_irq_attach/ack/detach like a line, and the MSI
 *     address and data a device must write (Intel SDM vol. 3A, 10.11: 0xFEE00000 | APIC id
 *     << 12; fixed delivery, edge, the vector). -ENOSPC when all are taken, -EINVAL for a
 *     CPU that is not online.
 *   rtjs_msi_free (irq): give an MSI vector back (detached first).
 *   rtjs_framebuffer (struct rtjs_framebuffer *out): the linear framebuffer the boot loader
 *     set up (the multiboot2 framebuffer tag, direct RGB). 0, or -ENODEV when there is none
 *     (text mode, or booted by QEMU -kernel). Its memory is mapped with rtjs_map_device. */
#define RTJS_SYSCALLS(X)                                       \
	X(RTJS_SYS_BASE + 0, rtjs_irq_attach, 1, (I))          \
	X(RTJS_SYS_BASE + 1, rtjs_irq_ack, 1, (I))             \
	X(RTJS_SYS_BASE + 2, rtjs_irq_detach, 1, (I))          \
	X(RTJS_SYS_BASE + 3, rtjs_wait, 4, (I, I, P, P))       \
	X(RTJS_SYS_BASE + 4, rtjs_dma_alloc, 2, (I, P))        \
	X(RTJS_SYS_BASE + 5, rtjs_dma_free, 2, (I, I))         \
	X(RTJS_SYS_BASE + 6, rtjs_power, 2, (I, I))            \
	X(RTJS_SYS_BASE + 7, rtjs_map_device, 2, (I, I))       \
	X(RTJS_SYS_BASE + 8, rtjs_msi_alloc, 3, (I, P, P))     \
	X(RTJS_SYS_BASE + 9, rtjs_msi_free, 1, (I))           \
	X(RTJS_SYS_BASE + 10, rtjs_framebuffer, 1, (P))

/* SYS_rtjs_wait and so on, as <sys/syscall.h> names Linux's calls; and how many there are. */
#define RTJS_SYSCALL_NUMBER(nr, name, argc, args) SYS_##name = (nr),
#define RTJS_SYSCALL_ONE(nr, name, argc, args) +1
enum rtjs_syscall_number { RTJS_SYSCALLS(RTJS_SYSCALL_NUMBER) };
enum { RTJS_SYS_COUNT = 0 RTJS_SYSCALLS(RTJS_SYSCALL_ONE) };
#undef RTJS_SYSCALL_NUMBER
#undef RTJS_SYSCALL_ONE

/* rtjs_wait's flags and result bits. */
#define RTJS_WAIT_CONSOLE 0x1
#define RTJS_WAIT_IRQ 0x2
#define RTJS_WAIT_WOKEN 0x4
/* rtjs_power's `how`. */
#define RTJS_POWER_OFF 0
#define RTJS_POWER_REBOOT 1

/* IRQ numbers: the ISA IRQs and IOAPIC inputs (82093AA: 24 inputs), then the MSI vectors. */
#define RTJS_IRQ_LINES 24
#define RTJS_ISA_IRQS 16
#define RTJS_MSI_FIRST RTJS_IRQ_LINES
#define RTJS_MSI_COUNT 32

/* The kernel maps all RAM at this address (mm/paging.h); rtjs_dma_alloc's addresses are there. */
#define RTJS_DIRECT_MAP_BASE UINT64_C(0xffff800000000000)

/* What rtjs_framebuffer stores. Pixel (x, y) is bpp/8 bytes, little-endian, at
 * phys + y * pitch + x * bpp / 8; each colour is the bit field [shift, shift + bits) of that
 * value. */
struct rtjs_framebuffer {
	unsigned long long phys;
	unsigned pitch, width, height;
	unsigned char bpp, red_shift, red_bits, green_shift, green_bits, blue_shift, blue_bits, reserved;
};

#endif
