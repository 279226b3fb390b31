/* ACPI tables (ACPI spec 6.4, ch. 5): what the kernel learned from them.
 * The parser (acpi/tables.c) is pure: it reads physical memory through a callback, so the
 * host tests run it over tables they build. */
#ifndef RTJS_ACPI_H
#define RTJS_ACPI_H
#include <stddef.h>
#include <stdint.h>

#define ACPI_MAX_CPUS 64
#define ACPI_MAX_IOAPICS 8
#define ACPI_MAX_OVERRIDES 16
#define ACPI_MAX_MCFG 4

/* Generic Address Structure (ACPI 6.4, 5.2.3.2) address spaces. */
#define ACPI_GAS_MEMORY 0
#define ACPI_GAS_IO 1
#define ACPI_GAS_PCI 2

struct acpi_gas {
	uint8_t space, bit_width, bit_offset, access_size;
	uint64_t address;
};

struct acpi_cpu {
	uint8_t acpi_id;
	uint32_t apic_id;
};

struct acpi_ioapic {
	uint8_t id;
	uint32_t address;
	uint32_t gsi_base;
};

struct acpi_override {
	uint8_t source; /* ISA IRQ */
	uint32_t gsi;
	uint16_t flags; /* MPS INTI flags: polarity bits 0-1, trigger bits 2-3 */
};

struct acpi_mcfg {
	uint64_t base;
	uint16_t segment;
	uint8_t bus_start, bus_end;
};

struct acpi_info {
	int found;        /* an RSDP and a root table were usable */
	int revision;     /* RSDP revision (0: ACPI 1.0 with RSDT, 2+: XSDT) */
	char oem[7];
	/* MADT */
	int have_madt;
	uint64_t lapic_address;
	int pcat_compat; /* legacy 8259 PICs present (must be masked) */
	unsigned cpu_count;
	struct acpi_cpu cpus[ACPI_MAX_CPUS];
	unsigned ioapic_count;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	unsigned override_count;
	struct acpi_override overrides[ACPI_MAX_OVERRIDES];
	/* FADT */
	int have_fadt;
	uint64_t dsdt;
	uint32_t smi_cmd;
	uint8_t acpi_enable;
	uint32_t pm1a_cnt, pm1b_cnt; /* I/O ports */
	uint8_t century;              /* CMOS register of the century, 0 if none */
	uint16_t boot_arch;           /* IAPC_BOOT_ARCH flags */
	int reset_supported;
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	/* DSDT \_S5 */
	int have_s5;
	uint8_t slp_typa, slp_typb;
	/* HPET */
	int have_hpet;
	uint64_t hpet_address;
	/* MCFG (PCI Express ECAM) */
	unsigned mcfg_count;
	struct acpi_mcfg mcfg[ACPI_MAX_MCFG];
	unsigned problems; /* tables skipped or truncated (each logged) */
};

/* Reads [pa, pa+len) or returns NULL. */
typedef const void *(*acpi_map_fn)(void *ctx, uint64_t pa, size_t len);
typedef void (*acpi_log_fn)(void *ctx, const char *msg);

struct acpi_env {
	acpi_map_fn map;
	acpi_log_fn log; /* what was found and what could not be used */
	void *ctx;
};

/* 8-bit sum of len bytes (valid tables sum to 0). */
uint8_t acpi_checksum(const void *p, size_t len);
/* Validates an RSDP (signature, checksums); 0 or -EINVAL. */
int acpi_rsdp_valid(const void *rsdp, size_t len);
/* Searches [p, p+len) on 16-byte boundaries for a valid RSDP; offset or -ENOENT. */
long acpi_rsdp_scan(const void *p, size_t len);
/* Parses everything reachable from the RSDP (rsdp: rsdp_len bytes, a copy or the
 * original). Returns 0, or -errno if no root table was usable (info->found stays 0).
 * Bad individual tables are skipped and logged. */
int acpi_parse(const struct acpi_env *env, const void *rsdp, size_t rsdp_len, struct acpi_info *info);
/* Finds Name(_S5_, Package(){a, b, ...}) in AML; 0 or -ENOENT. */
int acpi_find_s5(const uint8_t *aml, size_t len, uint8_t *slp_typa, uint8_t *slp_typb);

/* Kernel: finds the RSDP (multiboot2 copy, else EBDA/BIOS scan) and parses the tables.
 * The result is available through acpi_get() (found == 0 when there is no ACPI). */
struct boot_info;
void acpi_init(const struct boot_info *bi);
const struct acpi_info *acpi_get(void);

#endif
