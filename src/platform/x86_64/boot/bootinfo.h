/* What the boot loader told the kernel, copied out of the multiboot structures so that
 * nothing refers to loader memory after boot (boot/multiboot.c fills it). */
#ifndef RTJS_BOOTINFO_H
#define RTJS_BOOTINFO_H
#include <stdint.h>

#define BOOT_MMAP_MAX 128
#define BOOT_MODULES_MAX 16
#define BOOT_CMDLINE_MAX 1024

/* Memory map types (multiboot spec 3.3 / ACPI address range types). */
#define BOOT_MEM_USABLE 1
#define BOOT_MEM_RESERVED 2
#define BOOT_MEM_ACPI_RECLAIM 3
#define BOOT_MEM_ACPI_NVS 4
#define BOOT_MEM_BAD 5

struct boot_mmap_entry {
	uint64_t base;
	uint64_t len;
	uint32_t type;
};

struct boot_module {
	uint64_t start; /* physical, inclusive */
	uint64_t end;   /* physical, exclusive */
	char name[128]; /* the module's command line (QEMU: the file name given to -initrd) */
};

/* A linear framebuffer in direct RGB (multiboot2 spec 3.6.12, framebuffer_type 1): pixel
 * (x, y) is bpp/8 bytes at addr + y * pitch + x * bpp / 8, each colour a bit field. */
struct boot_framebuffer {
	uint64_t addr; /* physical */
	uint32_t pitch, width, height;
	uint8_t bpp;
	uint8_t red_shift, red_bits, green_shift, green_bits, blue_shift, blue_bits;
};

struct boot_info {
	int protocol; /* 1 or 2 (multiboot version) */
	char cmdline[BOOT_CMDLINE_MAX]; /* QEMU -kernel: starts with the kernel's path */
	char loader[64];
	uint64_t mem_lower_kb, mem_upper_kb;
	struct boot_mmap_entry mmap[BOOT_MMAP_MAX];
	unsigned mmap_count;
	struct boot_module modules[BOOT_MODULES_MAX];
	unsigned module_count;
	/* The initrd: the first module; both 0 when there is none. Read it at
	 * phys_to_virt(initrd_start) (mm/paging.h); its pages are never handed out. */
	uint64_t initrd_start, initrd_end;
	uint8_t rsdp[36]; /* copy of the ACPI RSDP from the multiboot2 tag */
	unsigned rsdp_len; /* 0: none given, scan the BIOS areas */
	struct boot_framebuffer fb; /* valid when fb.addr is nonzero (multiboot2 only) */
	unsigned warnings; /* count of things the parser could not use (logged) */
};

/* Implemented by the Linux layer (linux/process.c): loads and runs the init program from the
 * initrd. Weak: without it the kernel prints ready and halts or powers off as the
 * command line says. Called on the boot CPU (on the 64 KiB boot stack) with interrupts
 * enabled, after every kernel subsystem is up and the other CPUs idle (cpu/smp.h). If it
 * returns, the kernel powers off, reboots or halts as the command line says. */
void linux_start(const struct boot_info *bi) __attribute__((weak));

/* The boot information, valid for the kernel's lifetime. */
extern struct boot_info boot_info;

#endif
