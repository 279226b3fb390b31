/*
 * The rtjs-specific system calls: what only the kernel can do for the runtime program,
 * beyond the Linux ABI. Included by the kernel (linux/sys-rtjs.c) and by the program's
 * platform (runtime/platform.c). Numbers start far above Linux's (which end near 460), so
 * on Linux they are simply unknown (-ENOSYS) and the program can tell where it runs.
 *
 * IRQ numbers: 0-15 are ISA IRQs (routed through the MADT's overrides), 16 and up are
 * IOAPIC inputs (GSIs) for PCI INTx lines (level, active low).
 */
#ifndef RTJS_SYSCALL_NUMBERS_H
#define RTJS_SYSCALL_NUMBERS_H

#define RTJS_SYS_BASE 0x1000
/* (irq): deliver this line to the program; it stays masked after each interrupt until
 * RTJS_SYS_IRQ_ACK. 0, -EINVAL (no such line), -EBUSY (attached already). */
#define RTJS_SYS_IRQ_ATTACH (RTJS_SYS_BASE + 0)
/* (irq): unmask the line again. */
#define RTJS_SYS_IRQ_ACK (RTJS_SYS_BASE + 1)
/* (irq): stop delivering the line and mask it. */
#define RTJS_SYS_IRQ_DETACH (RTJS_SYS_BASE + 2)
/* (deadline_ns CLOCK_MONOTONIC, flags, uint64_t *irqs, uint32_t *word): sleep until the
 * deadline, an attached IRQ fires, (flags & RTJS_WAIT_CONSOLE) console input is waiting,
 * or (word not NULL) *word is nonzero or another thread does FUTEX_WAKE on word (how an
 * engine's loop is woken from another thread). Stores the IRQs that fired (bit n = irq n)
 * and clears them; returns RTJS_WAIT_* bits of what is ready, 0 at the deadline. Other
 * threads run meanwhile. */
#define RTJS_SYS_WAIT (RTJS_SYS_BASE + 3)
#define RTJS_WAIT_CONSOLE 0x1
#define RTJS_WAIT_IRQ 0x2
#define RTJS_WAIT_WOKEN 0x4
/* (length, uint64_t *phys): zeroed, physically contiguous memory for device DMA; returns
 * its address (the kernel's direct map, reachable from ring 0) or -ENOMEM. */
#define RTJS_SYS_DMA_ALLOC (RTJS_SYS_BASE + 4)
/* (address, length): give it back. */
#define RTJS_SYS_DMA_FREE (RTJS_SYS_BASE + 5)
/* (how, status): how 0 powers the machine off with `status` (ACPI S5 for 0), how 1 reboots
 * (FADT reset register, else the keyboard controller). Does not return. */
#define RTJS_SYS_POWER (RTJS_SYS_BASE + 6)
#define RTJS_POWER_OFF 0
#define RTJS_POWER_REBOOT 1
/* (phys, length): where the program reaches physical memory [phys, phys+length): RAM in the
 * kernel's direct map as is, anything else (device registers: PCI memory BARs) mapped
 * uncached into the kernel's window. Returns the address, or -EINVAL. */
#define RTJS_SYS_MAP_DEVICE (RTJS_SYS_BASE + 7)
/* (cpu, uint64_t *address, uint32_t *data): a message-signalled interrupt vector routed to
 * CPU `cpu` (index, 0 = boot CPU). Returns its IRQ number (RTJS_MSI_FIRST + n), used with
 * IRQ_ATTACH/ACK/DETACH like a line, and the MSI address and data a device must write
 * (Intel SDM vol. 3A, 10.11: 0xFEE00000 | APIC id << 12; fixed delivery, edge, the
 * vector). -ENOSPC when all are taken, -EINVAL for a CPU that is not online. */
#define RTJS_SYS_MSI_ALLOC (RTJS_SYS_BASE + 8)
/* (irq): give an MSI vector back (detached first). */
#define RTJS_SYS_MSI_FREE (RTJS_SYS_BASE + 9)
#define RTJS_MSI_FIRST 24
#define RTJS_MSI_COUNT 32
/* (struct rtjs_framebuffer *out): the linear framebuffer the boot loader set up (the
 * multiboot2 framebuffer tag, direct RGB). 0, or -ENODEV when there is none (text mode, or
 * booted by QEMU -kernel). Its memory is mapped with RTJS_SYS_MAP_DEVICE. */
#define RTJS_SYS_FRAMEBUFFER (RTJS_SYS_BASE + 10)
#define RTJS_SYS_COUNT 11

/* Pixel (x, y) is bpp/8 bytes, little-endian, at phys + y * pitch + x * bpp / 8; each colour
 * is the bit field [shift, shift + bits) of that value. */
struct rtjs_framebuffer {
	unsigned long long phys;
	unsigned pitch, width, height;
	unsigned char bpp, red_shift, red_bits, green_shift, green_bits, blue_shift, blue_bits, reserved;
};

#endif
