/* Formatting, command line and calendar helpers (lib/format.c, lib/cmdline.c, time/epoch.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "lib/cmdline.h"
#include "lib/format.h"
#include "time/clock.h"

static void test_format_conversions(void **s)
{
	(void)s;
	char b[128];
	ksnprintf(b, sizeof b, "%d %u %x %X %s %c %%", -42, 42u, 0xbeefu, 0xbeefu, "str", 'z');
	assert_string_equal(b, "-42 42 beef BEEF str z %");
	ksnprintf(b, sizeof b, "[%5d|%-5d|%05d|%016lx]", 42, 42, -42, 0xabcul);
	assert_string_equal(b, "[   42|42   |-0042|0000000000000abc]");
	ksnprintf(b, sizeof b, "%p %s %llu %zu", (void *)0x1000, (char *)NULL, 18446744073709551615ull, (size_t)7);
	assert_string_equal(b, "0x0000000000001000 (null) 18446744073709551615 7");
}

static void test_format_truncates_and_reports_full_length(void **s)
{
	(void)s;
	char b[8];
	assert_int_equal(ksnprintf(b, sizeof b, "%s", "0123456789"), 10);
	assert_string_equal(b, "0123456");
}

static void test_cmdline_flags_and_values(void **s)
{
	(void)s;
	const char *cl = "build/rtjs.elf  poweroff selftest=timer  x=";
	char v[16];
	assert_true(cmdline_has(cl, "poweroff"));
	assert_false(cmdline_has(cl, "power"));
	assert_true(cmdline_has(cl, "selftest"));
	assert_int_equal(cmdline_get(cl, "selftest", v, sizeof v), 5);
	assert_string_equal(v, "timer");
	assert_int_equal(cmdline_get(cl, "x", v, sizeof v), 0);
	assert_int_equal(cmdline_get(cl, "poweroff", v, sizeof v), -1);
	assert_int_equal(cmdline_get(cl, "nope", v, sizeof v), -1);
	assert_int_equal(cmdline_get("k=abcdefghijklmnopqrstuvwxyz", "k", v, 4), 26);
	assert_string_equal(v, "abc");
}

static void test_rtc_epoch(void **s)
{
	(void)s;
	assert_int_equal(rtc_to_epoch(1970, 1, 1, 0, 0, 0), 0);
	assert_int_equal(rtc_to_epoch(2000, 3, 1, 0, 0, 0), 951868800);
	assert_int_equal(rtc_to_epoch(2024, 2, 29, 23, 59, 59), 1709251199);
	assert_int_equal(rtc_to_epoch(2038, 1, 19, 3, 14, 8), 2147483648ll);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_conversions),
		cmocka_unit_test(test_format_truncates_and_reports_full_length),
		cmocka_unit_test(test_cmdline_flags_and_values),
		cmocka_unit_test(test_rtc_epoch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
