/* ACPI table parsing (ACPI 6.4 ch. 5), pure. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include "acpi/acpi.h"
#include "lib/format.h"

#define SDT_HEADER_LEN 36
#define SDT_MAX_LEN (16u << 20) /* sanity bound for any table (DSDTs are the largest) */
#define RSDP_V1_LEN 20
#define RSDP_V2_LEN 36

/* MADT (5.2.12) */
#define MADT_LAPIC_ADDR 36
#define MADT_FLAGS 40
#define MADT_ENTRIES 44
#define MADT_PCAT_COMPAT 1u
#define MADT_LAPIC 0
#define MADT_IOAPIC 1
#define MADT_OVERRIDE 2
#define MADT_LAPIC_ADDR_OVERRIDE 5
#define MADT_X2APIC 9
#define LAPIC_ENABLED 1u
#define LAPIC_ONLINE_CAPABLE 2u

/* FADT (5.2.9, table 5.9) */
#define FADT_DSDT 40
#define FADT_SMI_CMD 48
#define FADT_ACPI_ENABLE 52
#define FADT_PM1A_CNT 64
#define FADT_PM1B_CNT 68
#define FADT_CENTURY 108
#define FADT_BOOT_ARCH 109
#define FADT_FLAGS 112
#define FADT_RESET_REG 116
#define FADT_RESET_VALUE 128
#define FADT_X_DSDT 140
#define FADT_X_PM1A_CNT 172
#define FADT_RESET_REG_SUP (1u << 10)

#define HPET_ADDRESS 44 /* GAS at 40, its address field at +4 */
#define MCFG_ENTRIES 44
#define MCFG_ENTRY_LEN 16

/* AML opcodes (ACPI 6.4, 20.2) */
#define AML_NAME_OP 0x08
#define AML_PACKAGE_OP 0x12
#define AML_ROOT_CHAR 0x5c
#define AML_ZERO_OP 0x00
#define AML_ONE_OP 0x01
#define AML_BYTE_PREFIX 0x0a
#define AML_WORD_PREFIX 0x0b
#define AML_DWORD_PREFIX 0x0c
#define AML_ONES_OP 0xff

static uint16_t rd16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

static void acpi_logf(const struct acpi_env *env, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void acpi_logf(const struct acpi_env *env, const char *fmt, ...)
{
	char msg[160];
	va_list ap;
	va_start(ap, fmt);
	kvsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (env->log)
		env->log(env->ctx, msg);
}

static void problem(const struct acpi_env *env, struct acpi_info *info, const char *what, uint64_t pa)
{
	info->problems++;
	acpi_logf(env, "acpi: %s at 0x%llx, not used", what, (unsigned long long)pa);
}

uint8_t acpi_checksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;
	for (size_t i = 0; i < len; i++)
		sum += b[i];
	return sum;
}

int acpi_rsdp_valid(const void *rsdp, size_t len)
{
	const uint8_t *r = rsdp;
	if (len < RSDP_V1_LEN || memcmp(r, "RSD PTR ", 8) || acpi_checksum(r, RSDP_V1_LEN))
		return -EINVAL;
	if (r[15] >= 2) {
		if (len < RSDP_V2_LEN)
			return -EINVAL;
		uint32_t full = rd32(r + 20);
		if (full < RSDP_V2_LEN || full > len || acpi_checksum(r, full))
			return -EINVAL;
	}
	return 0;
}

long acpi_rsdp_scan(const void *p, size_t len)
{
	const uint8_t *b = p;
	for (size_t off = 0; off + RSDP_V1_LEN <= len; off += 16) {
		if (memcmp(b + off, "RSD PTR ", 8))
			continue;
		size_t avail = len - off < RSDP_V2_LEN ? len - off : RSDP_V2_LEN;
		if (b[off + 15] < 2)
			avail = RSDP_V1_LEN;
		if (acpi_rsdp_valid(b + off, avail) == 0)
			return (long)off;
	}
	return -ENOENT;
}

/* Maps and validates the table at pa (signature `sig` unless NULL); NULL if unusable. */
static const uint8_t *load_table(const struct acpi_env *env, struct acpi_info *info, uint64_t pa,
				 const char *sig)
{
	const uint8_t *h = pa ? env->map(env->ctx, pa, SDT_HEADER_LEN) : NULL;
	if (!h) {
		problem(env, info, sig ? sig : "table header unreadable", pa);
		return NULL;
	}
	char name[5] = { h[0], h[1], h[2], h[3], 0 };
	if (sig && memcmp(h, sig, 4)) {
		acpi_logf(env, "acpi: expected %s at 0x%llx, found '%s'; not used", sig, (unsigned long long)pa, name);
		info->problems++;
		return NULL;
	}
	uint32_t len = rd32(h + 4);
	if (len < SDT_HEADER_LEN || len > SDT_MAX_LEN) {
		acpi_logf(env, "acpi: %s at 0x%llx has a bad length %u; not used", name, (unsigned long long)pa, len);
		info->problems++;
		return NULL;
	}
	const uint8_t *t = env->map(env->ctx, pa, len);
	if (!t || acpi_checksum(t, len)) {
		acpi_logf(env, "acpi: %s at 0x%llx %s; not used", name, (unsigned long long)pa,
		     t ? "has a bad checksum" : "is unreadable");
		info->problems++;
		return NULL;
	}
	return t;
}

static void madt_cpu(struct acpi_info *info, uint8_t acpi_id, uint32_t apic_id, uint32_t flags)
{
	if (!(flags & (LAPIC_ENABLED | LAPIC_ONLINE_CAPABLE)) || info->cpu_count == ACPI_MAX_CPUS)
		return;
	info->cpus[info->cpu_count++] = (struct acpi_cpu){ acpi_id, apic_id };
}

static void madt_entry(struct acpi_info *info, const uint8_t *e)
{
	switch (e[0]) {
	case MADT_LAPIC:
		if (e[1] >= 8)
			madt_cpu(info, e[2], e[3], rd32(e + 4));
		break;
	case MADT_X2APIC:
		if (e[1] >= 16)
			madt_cpu(info, (uint8_t)rd32(e + 12), rd32(e + 4), rd32(e + 8));
		break;
	case MADT_IOAPIC:
		if (e[1] >= 12 && info->ioapic_count < ACPI_MAX_IOAPICS)
			info->ioapics[info->ioapic_count++] = (struct acpi_ioapic){ e[2], rd32(e + 4), rd32(e + 8) };
		break;
	case MADT_OVERRIDE:
		if (e[1] >= 10 && info->override_count < ACPI_MAX_OVERRIDES)
			info->overrides[info->override_count++] =
				(struct acpi_override){ e[3], rd32(e + 4), rd16(e + 8) };
		break;
	case MADT_LAPIC_ADDR_OVERRIDE:
		if (e[1] >= 12)
			info->lapic_address = rd64(e + 4);
		break;
	}
}

static void parse_madt(const struct acpi_env *env, struct acpi_info *info, const uint8_t *t)
{
	uint32_t len = rd32(t + 4);
	if (len < MADT_ENTRIES) {
		problem(env, info, "MADT too short", 0);
		return;
	}
	info->have_madt = 1;
	info->lapic_address = rd32(t + MADT_LAPIC_ADDR);
	info->pcat_compat = !!(rd32(t + MADT_FLAGS) & MADT_PCAT_COMPAT);
	for (uint32_t off = MADT_ENTRIES; off + 2 <= len;) {
		const uint8_t *e = t + off;
		if (e[1] < 2 || off + e[1] > len) {
			acpi_logf(env, "acpi: MADT entry at offset %u has a bad length %u; rest ignored", off, e[1]);
			info->problems++;
			break;
		}
		madt_entry(info, e);
		off += e[1];
	}
}

static void read_gas(struct acpi_gas *g, const uint8_t *p)
{
	g->space = p[0];
	g->bit_width = p[1];
	g->bit_offset = p[2];
	g->access_size = p[3];
	g->address = rd64(p + 4);
}

static void parse_fadt(const struct acpi_env *env, struct acpi_info *info, const uint8_t *t)
{
	uint32_t len = rd32(t + 4);
	if (len < FADT_PM1B_CNT + 4) {
		problem(env, info, "FADT too short", 0);
		return;
	}
	info->have_fadt = 1;
	info->dsdt = rd32(t + FADT_DSDT);
	info->smi_cmd = rd32(t + FADT_SMI_CMD);
	info->acpi_enable = t[FADT_ACPI_ENABLE];
	info->pm1a_cnt = rd32(t + FADT_PM1A_CNT);
	info->pm1b_cnt = rd32(t + FADT_PM1B_CNT);
	if (len >= FADT_RESET_VALUE + 1) {
		info->century = t[FADT_CENTURY];
		info->boot_arch = rd16(t + FADT_BOOT_ARCH);
		info->reset_supported = !!(rd32(t + FADT_FLAGS) & FADT_RESET_REG_SUP);
		read_gas(&info->reset_reg, t + FADT_RESET_REG);
		info->reset_value = t[FADT_RESET_VALUE];
	}
	if (len >= FADT_X_DSDT + 8 && rd64(t + FADT_X_DSDT))
		info->dsdt = rd64(t + FADT_X_DSDT);
	if (!info->pm1a_cnt && len >= FADT_X_PM1A_CNT + 12) {
		struct acpi_gas g;
		read_gas(&g, t + FADT_X_PM1A_CNT);
		if (g.space == ACPI_GAS_IO)
			info->pm1a_cnt = (uint32_t)g.address;
	}
}

static void parse_hpet(const struct acpi_env *env, struct acpi_info *info, const uint8_t *t)
{
	if (rd32(t + 4) < HPET_ADDRESS + 8) {
		problem(env, info, "HPET table too short", 0);
		return;
	}
	info->have_hpet = 1;
	info->hpet_address = rd64(t + HPET_ADDRESS);
}

static void parse_mcfg(struct acpi_info *info, const uint8_t *t)
{
	uint32_t len = rd32(t + 4);
	for (uint32_t off = MCFG_ENTRIES; off + MCFG_ENTRY_LEN <= len && info->mcfg_count < ACPI_MAX_MCFG;
	     off += MCFG_ENTRY_LEN) {
		const uint8_t *e = t + off;
		info->mcfg[info->mcfg_count++] = (struct acpi_mcfg){ rd64(e), rd16(e + 8), e[10], e[11] };
	}
}

/* One AML integer constant at p (at most end); returns bytes consumed or 0. */
static size_t aml_integer(const uint8_t *p, const uint8_t *end, uint8_t *v)
{
	if (p >= end)
		return 0;
	switch (p[0]) {
	case AML_ZERO_OP: *v = 0; return 1;
	case AML_ONE_OP: *v = 1; return 1;
	case AML_ONES_OP: *v = 0xff; return 1;
	case AML_BYTE_PREFIX: if (p + 2 > end) return 0; *v = p[1]; return 2;
	case AML_WORD_PREFIX: if (p + 3 > end) return 0; *v = p[1]; return 3;
	case AML_DWORD_PREFIX: if (p + 5 > end) return 0; *v = p[1]; return 5;
	default: return 0;
	}
}

int acpi_find_s5(const uint8_t *aml, size_t len, uint8_t *slp_typa, uint8_t *slp_typb)
{
	const uint8_t *end = aml + len;
	for (size_t i = 1; i + 5 < len; i++) {
		if (memcmp(aml + i, "_S5_", 4) || aml[i + 4] != AML_PACKAGE_OP)
			continue;
		if (aml[i - 1] != AML_NAME_OP && !(aml[i - 1] == AML_ROOT_CHAR && i >= 2 && aml[i - 2] == AML_NAME_OP))
			continue;
		const uint8_t *p = aml + i + 5;
		p += 1 + (p[0] >> 6); /* PkgLength: bits 7-6 of the lead byte count extra bytes */
		p += 1;               /* NumElements */
		size_t n = aml_integer(p, end, slp_typa);
		if (!n)
			continue;
		if (!aml_integer(p + n, end, slp_typb))
			*slp_typb = 0;
		return 0;
	}
	return -ENOENT;
}

static void parse_dsdt(const struct acpi_env *env, struct acpi_info *info)
{
	const uint8_t *t = load_table(env, info, info->dsdt, "DSDT");
	if (!t)
		return;
	uint32_t len = rd32(t + 4);
	if (acpi_find_s5(t + SDT_HEADER_LEN, len - SDT_HEADER_LEN, &info->slp_typa, &info->slp_typb) == 0)
		info->have_s5 = 1;
	else
		acpi_logf(env, "acpi: no \\_S5 package in the DSDT; ACPI power-off unavailable");
}

static void parse_table(const struct acpi_env *env, struct acpi_info *info, uint64_t pa)
{
	const uint8_t *t = load_table(env, info, pa, NULL);
	if (!t)
		return;
	if (!memcmp(t, "APIC", 4))
		parse_madt(env, info, t);
	else if (!memcmp(t, "FACP", 4))
		parse_fadt(env, info, t);
	else if (!memcmp(t, "HPET", 4))
		parse_hpet(env, info, t);
	else if (!memcmp(t, "MCFG", 4))
		parse_mcfg(info, t);
}

/* Returns the validated root table (XSDT preferred) and its entry size. */
static const uint8_t *load_root(const struct acpi_env *env, struct acpi_info *info, const uint8_t *rsdp,
				unsigned *entry_size)
{
	if (rsdp[15] >= 2 && rd64(rsdp + 24)) {
		const uint8_t *x = load_table(env, info, rd64(rsdp + 24), "XSDT");
		if (x) {
			*entry_size = 8;
			return x;
		}
		acpi_logf(env, "acpi: falling back to the RSDT");
	}
	*entry_size = 4;
	return load_table(env, info, rd32(rsdp + 16), "RSDT");
}

int acpi_parse(const struct acpi_env *env, const void *rsdp_p, size_t rsdp_len, struct acpi_info *info)
{
	memset(info, 0, sizeof *info);
	const uint8_t *rsdp = rsdp_p;
	if (acpi_rsdp_valid(rsdp, rsdp_len)) {
		acpi_logf(env, "acpi: RSDP invalid (signature or checksum)");
		return -EINVAL;
	}
	info->revision = rsdp[15];
	memcpy(info->oem, rsdp + 9, 6);
	unsigned esize;
	const uint8_t *root = load_root(env, info, rsdp, &esize);
	if (!root)
		return -EINVAL;
	info->found = 1;
	uint32_t len = rd32(root + 4);
	for (uint32_t off = SDT_HEADER_LEN; off + esize <= len; off += esize)
		parse_table(env, info, esize == 8 ? rd64(root + off) : rd32(root + off));
	if (info->have_fadt)
		parse_dsdt(env, info);
	return 0;
}
