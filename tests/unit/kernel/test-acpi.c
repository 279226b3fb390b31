/* ACPI table parsing (acpi/tables.c) over tables built by the test. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "acpi/acpi.h"
#include "arena.h"

#define RSDP 0x100
#define RSDT 0x200
#define XSDT 0x300
#define MADT 0x1000
#define FADT 0x2000
#define HPET 0x3000
#define MCFG 0x3400
#define DSDT 0x4000

static struct arena ar;
static struct acpi_info info;
static int logged;

static void count_log(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
	logged++;
}

static struct acpi_env env = { arena_map, count_log, &ar };

static uint8_t *at(uint64_t pa) { return arena_at(&ar, pa); }
static void put8(uint64_t pa, uint8_t v) { *at(pa) = v; }
static void put16(uint64_t pa, uint16_t v) { memcpy(at(pa), &v, 2); }
static void put32(uint64_t pa, uint32_t v) { memcpy(at(pa), &v, 4); }
static void put64(uint64_t pa, uint64_t v) { memcpy(at(pa), &v, 8); }

static void seal(uint64_t pa, const char *sig, uint32_t len)
{
	memcpy(at(pa), sig, 4);
	put32(pa + 4, len);
	put8(pa + 9, 0);
	memcpy(at(pa + 10), "RTJSTS", 6);
	put8(pa + 9, (uint8_t)(0x100 - acpi_checksum(at(pa), len)));
}

static void build_rsdp(void)
{
	memcpy(at(RSDP), "RSD PTR ", 8);
	memcpy(at(RSDP + 9), "RTJSTS", 6);
	put8(RSDP + 15, 2);
	put32(RSDP + 16, RSDT);
	put32(RSDP + 20, 36);
	put64(RSDP + 24, XSDT);
	put8(RSDP + 8, (uint8_t)(0x100 - acpi_checksum(at(RSDP), 20)));
	put8(RSDP + 32, (uint8_t)(0x100 - acpi_checksum(at(RSDP), 36)));
}

static void build_roots(void)
{
	const uint32_t tables[] = { MADT, FADT, HPET, MCFG };
	for (int i = 0; i < 4; i++) {
		put32(RSDT + 36 + 4 * i, tables[i]);
		put64(XSDT + 36 + 8 * i, tables[i]);
	}
	seal(RSDT, "RSDT", 36 + 16);
	seal(XSDT, "XSDT", 36 + 32);
}

static uint32_t madt_entry(uint32_t off, const uint8_t *e, uint8_t len)
{
	memcpy(at(MADT + off), e, len);
	return off + len;
}

static void build_madt(void)
{
	put32(MADT + 36, 0xfee00000);
	put32(MADT + 40, 1);
	uint32_t off = 44;
	const uint8_t cpu0[] = { 0, 8, 0, 0, 1, 0, 0, 0 }, cpu1[] = { 0, 8, 1, 1, 1, 0, 0, 0 },
		      cpu_off[] = { 0, 8, 2, 2, 0, 0, 0, 0 };
	const uint8_t ioapic[] = { 1, 12, 0, 0, 0x00, 0x00, 0xc0, 0xfe, 0, 0, 0, 0 };
	const uint8_t iso0[] = { 2, 10, 0, 0, 2, 0, 0, 0, 0, 0 }, iso9[] = { 2, 10, 0, 9, 9, 0, 0, 0, 0x0d, 0 };
	off = madt_entry(off, cpu0, 8);
	off = madt_entry(off, cpu1, 8);
	off = madt_entry(off, cpu_off, 8);
	off = madt_entry(off, ioapic, 12);
	off = madt_entry(off, iso0, 10);
	off = madt_entry(off, iso9, 10);
	seal(MADT, "APIC", off);
}

static void build_fadt_dsdt(void)
{
	put32(FADT + 40, DSDT);
	put32(FADT + 48, 0xb2);
	put8(FADT + 52, 0xf1);
	put32(FADT + 64, 0x604);
	put8(FADT + 108, 0x32);
	put32(FADT + 112, 1u << 10);
	put8(FADT + 116, ACPI_GAS_IO);
	put64(FADT + 120, 0xcf9);
	put8(FADT + 128, 6);
	seal(FADT, "FACP", 244);
	const uint8_t aml[] = { 0x10, 0x05, 0x5c, 0x2e, 0x5f, /* noise before */
				0x08, '_', 'S', '5', '_', 0x12, 0x0a, 0x04, 0x0a, 0x05, 0x0a, 0x07, 0x00, 0x00 };
	memcpy(at(DSDT + 36), aml, sizeof aml);
	seal(DSDT, "DSDT", 36 + sizeof aml);
}

static void build_hpet_mcfg(void)
{
	put64(HPET + 44, 0xfed00000);
	seal(HPET, "HPET", 56);
	put64(MCFG + 44, 0xb0000000);
	put16(MCFG + 52, 0);
	put8(MCFG + 54, 0);
	put8(MCFG + 55, 255);
	seal(MCFG, "MCFG", 60);
}

static int setup(void **s)
{
	(void)s;
	arena_init(&ar, 0x8000);
	logged = 0;
	build_rsdp();
	build_madt();
	build_fadt_dsdt();
	build_hpet_mcfg();
	build_roots();
	return 0;
}

static int teardown(void **s)
{
	(void)s;
	arena_free(&ar);
	return 0;
}

static void test_acpi_parses_every_table(void **s)
{
	(void)s;
	assert_int_equal(acpi_parse(&env, at(RSDP), 36, &info), 0);
	assert_true(info.found);
	assert_int_equal(info.revision, 2);
	assert_string_equal(info.oem, "RTJSTS");
	assert_true(info.have_madt);
	assert_int_equal(info.cpu_count, 2); /* the disabled CPU is not counted */
	assert_int_equal(info.cpus[1].apic_id, 1);
	assert_int_equal(info.lapic_address, 0xfee00000);
	assert_true(info.pcat_compat);
	assert_int_equal(info.ioapic_count, 1);
	assert_int_equal(info.ioapics[0].address, 0xfec00000);
	assert_int_equal(info.override_count, 2);
	assert_int_equal(info.overrides[0].gsi, 2);
	assert_int_equal(info.overrides[1].flags, 0x0d);
	assert_true(info.have_fadt);
	assert_int_equal(info.pm1a_cnt, 0x604);
	assert_int_equal(info.century, 0x32);
	assert_true(info.reset_supported);
	assert_int_equal(info.reset_reg.address, 0xcf9);
	assert_int_equal(info.reset_value, 6);
	assert_true(info.have_s5);
	assert_int_equal(info.slp_typa, 5);
	assert_int_equal(info.slp_typb, 7);
	assert_true(info.have_hpet);
	assert_int_equal(info.hpet_address, 0xfed00000);
	assert_int_equal(info.mcfg_count, 1);
	assert_int_equal(info.mcfg[0].base, 0xb0000000);
	assert_int_equal(info.mcfg[0].bus_end, 255);
	assert_int_equal(info.problems, 0);
}

static void test_acpi_corrupt_table_is_skipped_and_reported(void **s)
{
	(void)s;
	put8(MADT + 40, 0); /* breaks the MADT checksum */
	assert_int_equal(acpi_parse(&env, at(RSDP), 36, &info), 0);
	assert_false(info.have_madt);
	assert_int_equal(info.cpu_count, 0);
	assert_true(info.have_fadt);
	assert_true(info.have_hpet);
	assert_int_equal(info.problems, 1);
	assert_true(logged >= 1);
}

static void test_acpi_corrupt_xsdt_falls_back_to_rsdt(void **s)
{
	(void)s;
	put8(XSDT + 40, 0x55);
	assert_int_equal(acpi_parse(&env, at(RSDP), 36, &info), 0);
	assert_true(info.have_madt);
	assert_int_equal(info.cpu_count, 2);
	assert_int_equal(info.problems, 1);
}

static void test_acpi_bad_rsdp_is_rejected(void **s)
{
	(void)s;
	put8(RSDP + 8, (uint8_t)(*at(RSDP + 8) + 1));
	assert_int_equal(acpi_parse(&env, at(RSDP), 36, &info), -EINVAL);
	assert_false(info.found);
	assert_int_equal(acpi_rsdp_valid(at(RSDP), 36), -EINVAL);
}

static void test_acpi_truncated_madt_entry_stops_the_walk(void **s)
{
	(void)s;
	put8(MADT + 44 + 8 + 1, 0); /* second entry claims length 0 */
	seal(MADT, "APIC", 44 + 8 + 8 + 8 + 12 + 10 + 10);
	assert_int_equal(acpi_parse(&env, at(RSDP), 36, &info), 0);
	assert_true(info.have_madt);
	assert_int_equal(info.cpu_count, 1);
	assert_int_equal(info.ioapic_count, 0);
	assert_int_equal(info.problems, 1);
}

static void test_acpi_missing_dsdt_s5(void **s)
{
	(void)s;
	memset(at(DSDT + 36), 0x5b, 19);
	seal(DSDT, "DSDT", 36 + 19);
	assert_int_equal(acpi_parse(&env, at(RSDP), 36, &info), 0);
	assert_true(info.have_fadt);
	assert_false(info.have_s5);
}

static void test_acpi_rsdp_scan_finds_aligned_copy(void **s)
{
	(void)s;
	static uint8_t area[256];
	memset(area, 0, sizeof area);
	memcpy(area + 5, "RSD PTR ", 8); /* unaligned: must be ignored */
	memcpy(area + 96, at(RSDP), 36);
	assert_int_equal(acpi_rsdp_scan(area, sizeof area), 96);
	area[96 + 20] ^= 1; /* v2 length field now wrong: extended checksum fails */
	assert_int_equal(acpi_rsdp_scan(area, sizeof area), -ENOENT);
}

static void test_acpi_find_s5_forms(void **s)
{
	(void)s;
	uint8_t a, b;
	const uint8_t rooted[] = { 0x08, '\\', '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x00, 0x01, 0x00, 0x00 };
	assert_int_equal(acpi_find_s5(rooted, sizeof rooted, &a, &b), 0);
	assert_int_equal(a, 0);
	assert_int_equal(b, 1);
	const uint8_t method_ref[] = { 0x00, 0x70, '_', 'S', '5', '_', 0x12, 0x06, 0x04 };
	assert_int_equal(acpi_find_s5(method_ref, sizeof method_ref, &a, &b), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_acpi_parses_every_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_acpi_corrupt_table_is_skipped_and_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_acpi_corrupt_xsdt_falls_back_to_rsdt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_acpi_bad_rsdp_is_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_acpi_truncated_madt_entry_stops_the_walk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_acpi_missing_dsdt_s5, setup, teardown),
		cmocka_unit_test_setup_teardown(test_acpi_rsdp_scan_finds_aligned_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_acpi_find_s5_forms, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
