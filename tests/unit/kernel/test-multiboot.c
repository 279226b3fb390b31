/* Multiboot 1 and 2 information parsing (boot/multiboot.c) over structures built here. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "arena.h"
#include "boot/multiboot.h"

static struct arena ar;
static struct boot_info bi;
static int warnings;

static void count_warn(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
	warnings++;
}

static struct mb_env env = { arena_map, count_warn, &ar };

static void put32(uint64_t pa, uint32_t v) { memcpy(arena_at(&ar, pa), &v, 4); }
static void put64(uint64_t pa, uint64_t v) { memcpy(arena_at(&ar, pa), &v, 8); }

static int setup(void **s)
{
	(void)s;
	arena_init(&ar, 0x10000);
	warnings = 0;
	return 0;
}

static int teardown(void **s)
{
	(void)s;
	arena_free(&ar);
	return 0;
}

/* multiboot 1: info at 0x100, mmap at 0x400, modules at 0x800, strings at 0x900+ */
static void build_mb1(uint32_t flags)
{
	put32(0x100, flags);
	put32(0x104, 639);
	put32(0x108, 1047424);
	strcpy(arena_at(&ar, 0x900), "build/rtjs.elf selftest=timer");
	put32(0x110, 0x900);
	put32(0x114, 1);     /* mods_count */
	put32(0x118, 0x800); /* mods_addr */
	put32(0x800, 0x200000);
	put32(0x804, 0x300000);
	put32(0x808, 0x980);
	strcpy(arena_at(&ar, 0x980), "initrd.cpio");
	/* two mmap entries, 24 bytes each (size field 20) */
	put32(0x12c, 48);
	put32(0x130, 0x400);
	put32(0x400, 20), put64(0x404, 0), put64(0x40c, 0x9fc00), put32(0x414, 1);
	put32(0x418, 20), put64(0x41c, 0x100000), put64(0x424, 0x3fee0000), put32(0x42c, 1);
	strcpy(arena_at(&ar, 0x9c0), "qemu");
	put32(0x140, 0x9c0);
}

static void test_mb1_full_information(void **s)
{
	(void)s;
	build_mb1((1 << 0) | (1 << 2) | (1 << 3) | (1 << 6) | (1 << 9));
	assert_int_equal(mb_parse(MB1_BOOT_MAGIC, 0x100, &env, &bi), 0);
	assert_int_equal(bi.protocol, 1);
	assert_string_equal(bi.cmdline, "build/rtjs.elf selftest=timer");
	assert_string_equal(bi.loader, "qemu");
	assert_int_equal(bi.mmap_count, 2);
	assert_int_equal(bi.mmap[1].base, 0x100000);
	assert_int_equal(bi.mmap[1].len, 0x3fee0000);
	assert_int_equal(bi.module_count, 1);
	assert_string_equal(bi.modules[0].name, "initrd.cpio");
	assert_int_equal(bi.initrd_start, 0x200000);
	assert_int_equal(bi.initrd_end, 0x300000);
	assert_int_equal(warnings, 0);
}

static void test_mb1_without_map_falls_back_to_memory_sizes(void **s)
{
	(void)s;
	build_mb1(1 << 0);
	assert_int_equal(mb_parse(MB1_BOOT_MAGIC, 0x100, &env, &bi), 0);
	assert_int_equal(bi.mmap_count, 2);
	assert_int_equal(bi.mmap[1].base, 0x100000);
	assert_int_equal(bi.mmap[1].len, 1047424ull * 1024);
	assert_int_equal(warnings, 1);
	assert_int_equal(bi.initrd_start, 0);
}

static void test_mb1_without_any_memory_information_fails(void **s)
{
	(void)s;
	build_mb1(1 << 2);
	assert_int_equal(mb_parse(MB1_BOOT_MAGIC, 0x100, &env, &bi), -ENOENT);
}

static void test_mb1_truncated_map_entry_stops_with_warning(void **s)
{
	(void)s;
	build_mb1((1 << 0) | (1 << 6));
	put32(0x418, 4); /* second entry claims a size too small to hold base/len/type */
	assert_int_equal(mb_parse(MB1_BOOT_MAGIC, 0x100, &env, &bi), 0);
	assert_int_equal(bi.mmap_count, 1);
	assert_int_equal(warnings, 1);
}

static void test_unknown_magic_and_unreadable_info_are_rejected(void **s)
{
	(void)s;
	assert_int_equal(mb_parse(0x12345678, 0x100, &env, &bi), -EINVAL);
	assert_int_equal(mb_parse(MB1_BOOT_MAGIC, 0xfff0, &env, &bi), -EINVAL);
}

/* multiboot 2 at 0x1000 */
static uint32_t tag_at;
static void mb2_begin(void) { tag_at = 0x1008; }
static uint64_t mb2_tag(uint32_t type, uint32_t size)
{
	uint64_t at = tag_at;
	put32(at, type);
	put32(at + 4, size);
	tag_at += (size + 7) & ~7u;
	return at;
}
static void mb2_end(void)
{
	mb2_tag(0, 8);
	put32(0x1000, tag_at - 0x1000);
}

static void build_mb2_common(void)
{
	mb2_begin();
	uint64_t t = mb2_tag(1, 8 + 9);
	strcpy(arena_at(&ar, t + 8), "poweroff");
	t = mb2_tag(3, 16 + 7);
	put32(t + 8, 0x400000), put32(t + 12, 0x500000);
	strcpy(arena_at(&ar, t + 16), "initrd");
	t = mb2_tag(6, 16 + 3 * 24);
	put32(t + 8, 24), put32(t + 12, 0);
	put64(t + 16, 0), put64(t + 24, 0x9fc00), put32(t + 32, 1);
	put64(t + 40, 0x100000), put64(t + 48, 0x1000000), put32(t + 56, 1);
	put64(t + 64, 0xfffc0000), put64(t + 72, 0x40000), put32(t + 80, 2);
	t = mb2_tag(15, 8 + 36);
	memcpy(arena_at(&ar, t + 8), "RSD PTR ", 8);
}

static void test_mb2_tags(void **s)
{
	(void)s;
	build_mb2_common();
	mb2_end();
	assert_int_equal(mb_parse(MB2_BOOT_MAGIC, 0x1000, &env, &bi), 0);
	assert_int_equal(bi.protocol, 2);
	assert_string_equal(bi.cmdline, "poweroff");
	assert_int_equal(bi.mmap_count, 3);
	assert_int_equal(bi.mmap[2].type, 2);
	assert_int_equal(bi.module_count, 1);
	assert_string_equal(bi.modules[0].name, "initrd");
	assert_int_equal(bi.initrd_start, 0x400000);
	assert_int_equal(bi.rsdp_len, 36);
	assert_memory_equal(bi.rsdp, "RSD PTR ", 8);
	assert_int_equal(warnings, 0);
}

static void test_mb2_bad_tag_size_stops_with_warning(void **s)
{
	(void)s;
	build_mb2_common();
	uint64_t t = mb2_tag(1, 8);
	put32(t + 4, 0x8000); /* runs past the end of the information */
	mb2_end();
	assert_int_equal(mb_parse(MB2_BOOT_MAGIC, 0x1000, &env, &bi), 0);
	assert_int_equal(bi.mmap_count, 3);
	assert_true(warnings >= 1);
}

static void test_mb2_without_map_or_meminfo_fails(void **s)
{
	(void)s;
	mb2_begin();
	uint64_t t = mb2_tag(1, 8 + 2);
	strcpy(arena_at(&ar, t + 8), "x");
	mb2_end();
	assert_int_equal(mb_parse(MB2_BOOT_MAGIC, 0x1000, &env, &bi), -ENOENT);
}

/* A framebuffer tag (type 8): common part, then the direct-RGB colour fields. */
static uint64_t mb2_fb_tag(uint64_t addr, uint32_t pitch, uint32_t w, uint32_t h, uint8_t bpp, uint8_t type)
{
	uint64_t t = mb2_tag(8, 38);
	uint8_t *b = arena_at(&ar, t);
	put64(t + 8, addr), put32(t + 16, pitch), put32(t + 20, w), put32(t + 24, h);
	b[28] = bpp, b[29] = type, b[30] = b[31] = 0;
	b[32] = 16, b[33] = 8, b[34] = 8, b[35] = 8, b[36] = 0, b[37] = 8; /* x8r8g8b8 */
	return t;
}

static void test_mb2_framebuffer_rgb_is_kept(void **s)
{
	(void)s;
	build_mb2_common();
	mb2_fb_tag(0x80000000, 800 * 4, 800, 600, 32, 1);
	mb2_end();
	assert_int_equal(mb_parse(MB2_BOOT_MAGIC, 0x1000, &env, &bi), 0);
	assert_int_equal(bi.fb.addr, 0x80000000);
	assert_int_equal(bi.fb.pitch, 3200);
	assert_int_equal(bi.fb.width, 800);
	assert_int_equal(bi.fb.height, 600);
	assert_int_equal(bi.fb.bpp, 32);
	assert_int_equal(bi.fb.red_shift, 16);
	assert_int_equal(bi.fb.green_bits, 8);
	assert_int_equal(bi.fb.blue_shift, 0);
	assert_int_equal(warnings, 0);
}

static void test_mb2_framebuffer_text_or_bad_layout_is_ignored(void **s)
{
	(void)s;
	build_mb2_common();
	mb2_fb_tag(0xb8000, 160, 80, 25, 16, 2); /* EGA text: no framebuffer, no warning */
	mb2_end();
	assert_int_equal(mb_parse(MB2_BOOT_MAGIC, 0x1000, &env, &bi), 0);
	assert_int_equal(bi.fb.addr, 0);
	assert_int_equal(warnings, 0);

	memset(&bi, 0, sizeof bi);
	build_mb2_common();
	mb2_fb_tag(0x80000000, 100, 800, 600, 32, 1); /* rows wider than the pitch */
	mb2_end();
	assert_int_equal(mb_parse(MB2_BOOT_MAGIC, 0x1000, &env, &bi), 0);
	assert_int_equal(bi.fb.addr, 0);
	assert_int_equal(warnings, 1);

	memset(&bi, 0, sizeof bi);
	build_mb2_common();
	mb2_fb_tag(0xfffffffffff00000ull, 4096, 1024, 768, 32, 1); /* wraps past 2^64 */
	mb2_end();
	assert_int_equal(mb_parse(MB2_BOOT_MAGIC, 0x1000, &env, &bi), 0);
	assert_int_equal(bi.fb.addr, 0);
	assert_int_equal(warnings, 2);

	memset(&bi, 0, sizeof bi);
	build_mb2_common();
	uint64_t t = mb2_fb_tag(0x80000000, 3200, 800, 600, 32, 1);
	((uint8_t *)arena_at(&ar, t))[32] = 30; /* red field past bit 31 */
	mb2_end();
	assert_int_equal(mb_parse(MB2_BOOT_MAGIC, 0x1000, &env, &bi), 0);
	assert_int_equal(bi.fb.addr, 0);
	assert_int_equal(warnings, 3);
}

static void test_mb2_absurd_total_size_is_rejected(void **s)
{
	(void)s;
	put32(0x1000, 4);
	assert_int_equal(mb_parse(MB2_BOOT_MAGIC, 0x1000, &env, &bi), -EINVAL);
	put32(0x1000, 0x7fffffff);
	assert_int_equal(mb_parse(MB2_BOOT_MAGIC, 0x1000, &env, &bi), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mb1_full_information, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mb1_without_map_falls_back_to_memory_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mb1_without_any_memory_information_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mb1_truncated_map_entry_stops_with_warning, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_magic_and_unreadable_info_are_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mb2_tags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mb2_bad_tag_size_stops_with_warning, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mb2_without_map_or_meminfo_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mb2_framebuffer_rgb_is_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mb2_framebuffer_text_or_bad_layout_is_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mb2_absurd_total_size_is_rejected, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
