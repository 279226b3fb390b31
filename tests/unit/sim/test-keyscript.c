#include <errno.h>

#include "fake-machine.h"
#include "keymap.h"
#include "keyscript.h"

static void expect(const struct keyscript *ks, size_t i, enum keyscript_kind kind, uint16_t key)
{
	assert_true(i < ks->count);
	if (ks->events[i].kind != kind || ks->events[i].key != key)
		fail_msg("event %zu: kind %d key 0x%x, want kind %d key 0x%x", i, ks->events[i].kind,
			 ks->events[i].key, kind, key);
}

static void test_keyscript_plain_shifted_and_escapes(void **state)
{
	(void)state;
	struct keyscript ks;
	char err[64];
	assert_int_equal(keyscript_parse(&ks, "6*7\\n", err, sizeof err), 0);
	assert_int_equal(ks.count, 2 + 4 + 2 + 2);
	expect(&ks, 0, KEYSCRIPT_DOWN, 0x07);
	expect(&ks, 1, KEYSCRIPT_UP, 0x07);
	expect(&ks, 2, KEYSCRIPT_DOWN, KEY_LSHIFT);
	expect(&ks, 3, KEYSCRIPT_DOWN, 0x09); /* '*' is Shift+8 */
	expect(&ks, 4, KEYSCRIPT_UP, 0x09);
	expect(&ks, 5, KEYSCRIPT_UP, KEY_LSHIFT);
	expect(&ks, 8, KEYSCRIPT_DOWN, KEY_ENTER);
	keyscript_free(&ks);
}

static void test_keyscript_named_keys_chords_and_waits(void **state)
{
	(void)state;
	struct keyscript ks;
	char err[64];
	assert_int_equal(keyscript_parse(&ks, "{Up}{Wait 250}{Ctrl+c}", err, sizeof err), 0);
	expect(&ks, 0, KEYSCRIPT_DOWN, KEY_UP);
	expect(&ks, 1, KEYSCRIPT_UP, KEY_UP);
	assert_int_equal(ks.events[2].kind, KEYSCRIPT_WAIT);
	assert_int_equal(ks.events[2].wait_ms, 250);
	expect(&ks, 3, KEYSCRIPT_DOWN, KEY_LCTRL);
	expect(&ks, 4, KEYSCRIPT_DOWN, 0x2e);
	expect(&ks, 5, KEYSCRIPT_UP, 0x2e);
	expect(&ks, 6, KEYSCRIPT_UP, KEY_LCTRL);
	assert_int_equal(ks.count, 7);
	keyscript_free(&ks);
}

static void test_keyscript_errors_name_the_offending_text(void **state)
{
	(void)state;
	struct keyscript ks;
	char err[64];
	assert_int_equal(keyscript_parse(&ks, "ab{Nope}", err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "{Nope}"));
	assert_int_equal(keyscript_parse(&ks, "{Enter", err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "unclosed"));
}

static void test_keymap_hid_usages_match_set1(void **state)
{
	(void)state;
	assert_int_equal(keymap_from_hid(0x04), 0x1e); /* a */
	assert_int_equal(keymap_from_hid(0x28), KEY_ENTER);
	assert_int_equal(keymap_from_hid(0x52), KEY_UP);
	assert_int_equal(keymap_from_hid(0x3a), KEY_F1);
	assert_int_equal(keymap_from_hid(0xe5), KEY_RSHIFT);
	assert_int_equal(keymap_from_hid(0x32), KEY_NONE);
	uint8_t b[2];
	assert_int_equal(keymap_set1(KEY_DELETE, b), 2);
	assert_int_equal(b[0], 0xe0);
	assert_int_equal(b[1], 0x53);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keyscript_plain_shifted_and_escapes),
		cmocka_unit_test(test_keyscript_named_keys_chords_and_waits),
		cmocka_unit_test(test_keyscript_errors_name_the_offending_text),
		cmocka_unit_test(test_keymap_hid_usages_match_set1),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
