/* Finding the RSDP and running the table parser over the kernel's mappings. */
#include <string.h>
#include "acpi/acpi.h"
#include "boot/bootinfo.h"
#include "lib/log.h"
#include "mm/paging.h"

#define BDA_EBDA_SEGMENT 0x40e /* BIOS data area: EBDA segment (ACPI 6.4, 5.2.5.1) */
#define EBDA_SCAN_LEN 1024
#define BIOS_ROM_START 0xe0000
#define BIOS_ROM_LEN 0x20000

static struct acpi_info info;

const struct acpi_info *acpi_get(void)
{
	return &info;
}

static const void *map(void *ctx, uint64_t pa, size_t len)
{
	(void)ctx;
	return vm_peek_phys(pa, len);
}

static void log_line(void *ctx, const char *msg)
{
	(void)ctx;
	kprintf("%s\n", msg);
}

/* The BIOS areas the spec names: the first KiB of the EBDA, then 0xe0000-0xfffff. */
static const void *scan_bios(void)
{
	const uint16_t *bda = vm_peek_phys(BDA_EBDA_SEGMENT, 2);
	if (bda && *bda) {
		uint64_t ebda = (uint64_t)*bda << 4;
		const uint8_t *p = vm_peek_phys(ebda, EBDA_SCAN_LEN);
		long off = p ? acpi_rsdp_scan(p, EBDA_SCAN_LEN) : -1;
		if (off >= 0)
			return p + off;
	}
	const uint8_t *rom = vm_peek_phys(BIOS_ROM_START, BIOS_ROM_LEN);
	long off = rom ? acpi_rsdp_scan(rom, BIOS_ROM_LEN) : -1;
	return off >= 0 ? rom + off : NULL;
}

static void log_summary(void)
{
	kprintf("acpi: revision %d, OEM '%s': %u CPUs (APIC ids", info.revision, info.oem, info.cpu_count);
	for (unsigned i = 0; i < info.cpu_count; i++)
		kprintf(" %u", info.cpus[i].apic_id);
	kprintf("), %u IOAPICs, %u overrides\n", info.ioapic_count, info.override_count);
	kprintf("acpi: FADT %s, \\_S5 %s (SLP_TYPa %u), reset register %s, HPET %s, MCFG %u\n",
		info.have_fadt ? "yes" : "no", info.have_s5 ? "yes" : "no", info.slp_typa,
		info.reset_supported ? "yes" : "no", info.have_hpet ? "yes" : "no", info.mcfg_count);
}

void acpi_init(const struct boot_info *bi)
{
	struct acpi_env env = { map, log_line, NULL };
	const void *rsdp = bi->rsdp_len ? bi->rsdp : scan_bios();
	size_t len = bi->rsdp_len ? bi->rsdp_len : 36;
	if (!rsdp) {
		kprintf("acpi: no RSDP (no multiboot2 tag, none in the BIOS areas): no ACPI; "
			"one CPU assumed, power-off through the debug port only\n");
		return;
	}
	if (acpi_parse(&env, rsdp, len, &info)) {
		kprintf("acpi: tables unusable; continuing without ACPI\n");
		return;
	}
	log_summary();
	if (!info.have_madt)
		kprintf("acpi: no MADT; one CPU and the default IOAPIC assumed\n");
}
