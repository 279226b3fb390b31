/* kmain: brings the machine up in dependency order, then hands over to the Linux layer
 * (linux_start) or, without it, runs what the command line asks and stops. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "acpi/acpi.h"
#include "acpi/power.h"
#include "boot/bootinfo.h"
#include "boot/multiboot.h"
#include "cpu/cpu.h"
#include "cpu/features.h"
#include "cpu/gdt.h"
#include "cpu/lock.h"
#include "cpu/percpu.h"
#include "cpu/smp.h"
#include "dev/serial.h"
#include "dev/vga.h"
#include "intr/apic.h"
#include "intr/intr.h"
#include "lib/cmdline.h"
#include "lib/log.h"
#include "mm/heap.h"
#include "mm/paging.h"
#include "mm/pmm.h"
#include "selftest.h"
#include "time/clock.h"
#include "time/timer.h"

#define BOOT_DIRECT_LIMIT (4ull << 30) /* what boot/boot.S maps at DIRECT_MAP_BASE */

struct boot_info boot_info;
static struct cpu_tables bsp_tables;

void kmain(uint32_t magic, uint64_t info_pa);

static const void *early_map(void *ctx, uint64_t pa, size_t len)
{
	(void)ctx;
	if (pa >= BOOT_DIRECT_LIMIT || len > BOOT_DIRECT_LIMIT - pa)
		return NULL;
	return phys_to_virt(pa);
}

static void early_warn(void *ctx, const char *msg)
{
	(void)ctx;
	kprintf("boot: %s\n", msg);
}

static void parse_boot_info(uint32_t magic, uint64_t info_pa)
{
	struct mb_env env = { early_map, early_warn, NULL };
	int r = mb_parse(magic, info_pa, &env, &boot_info);
	if (r)
		panic("boot: cannot use the boot information (magic %x at %lx, error %d): %s", magic, info_pa, r,
		      r == -ENOENT ? "no memory map or memory sizes" : "not multiboot 1 or 2, or unreadable");
	kprintf("boot: multiboot%s from '%s', command line '%s'\n", boot_info.protocol == 2 ? "2" : "",
		boot_info.loader[0] ? boot_info.loader : "?", boot_info.cmdline);
	for (unsigned i = 0; i < boot_info.module_count; i++)
		kprintf("boot: module %u '%s' at %lx-%lx (%lu KiB)\n", i, boot_info.modules[i].name,
			boot_info.modules[i].start, boot_info.modules[i].end,
			(boot_info.modules[i].end - boot_info.modules[i].start) >> 10);
}

static void cpu_init_bsp(void)
{
	percpu_bsp.cpu_index = 0;
	gdt_init_cpu(&percpu_bsp, &bsp_tables); /* reloading GS zeroes its base: install after */
	percpu_install(&percpu_bsp);
	idt_init();
	cpu_features_init();
	const struct cpu_features *f = cpu_features();
	kprintf("cpu: %s, NX %d, XSAVE %d (%u bytes, XCR0 %lx), AVX %d, AVX2 %d\n", f->vendor, f->nx, f->xsave,
		f->xsave_size, f->xcr0, f->avx, f->avx2);
}

static void interrupts_init(void)
{
	pic_disable();
	lapic_init();
	ioapic_init();
	clock_init();
	timer_calibrate();
	irq_enable();
}

static void finish(void)
{
	const char *cl = boot_info.cmdline;
	if (cmdline_has(cl, "poweroff"))
		power_off(POWER_STATUS_OK);
	if (cmdline_has(cl, "reboot"))
		power_reboot();
	kprintf("rtjs: nothing to run (no Linux layer); halted\n");
	for (;;)
		cpu_wait_irq();
}

void kmain(uint32_t magic, uint64_t info_pa)
{
	uint64_t tsc_at_entry = rdtsc();
	serial_init();
	vga_init();
	kprintf("rtjs: kernel starting\n");
	cpu_init_bsp();
	parse_boot_info(magic, info_pa);
	char klog[8];
	klog_route(cmdline_get(boot_info.cmdline, "klog", klog, sizeof(klog)) > 0 &&
		   strcmp(klog, "com2") == 0);
	if (cmdline_has(boot_info.cmdline, "lockdebug"))
		lock_debug_enable();
	pmm_init(&boot_info);
	paging_init(&boot_info);
	acpi_init(&boot_info);
	interrupts_init();
	if (!cmdline_has(boot_info.cmdline, "nosmp"))
		smp_init();
	kprintf("rtjs: ready (%u CPUs, %lu MiB free, kernel start to ready %lu ms)\n",
		smp_cpu_count(), pmm_free_count() * PAGE_SIZE >> 20,
		clock_tsc_to_ns(rdtsc() - tsc_at_entry) / 1000000);
	selftest_run(boot_info.cmdline);
	if (linux_start)
		linux_start(&boot_info);
	finish();
}
