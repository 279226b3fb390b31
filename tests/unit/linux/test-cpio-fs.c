/* The initrd: cpio newc reading (linux/cpio.c) over archives made by `cpio -o -H newc`,
 * and the file system built from it (linux/fs.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fake-kernel.h"
#include "linux/cpio.h"
#include "linux/fs.h"

#define NEWC_HEADER_LEN 110 /* "070701" + 13 fields of 8 hex digits */

static uint8_t *archive;
static size_t archive_len;

/* Builds a small tree (two files with the same contents, a directory, an empty file) and
 * archives it with the host's cpio, as scripts/mkinitrd does. */
static int make_archive(void **state)
{
	(void)state;
	char dir[] = "/tmp/rtjs-cpio-XXXXXX";
	if (!mkdtemp(dir))
		return -1;
	char cmd[1024];
	snprintf(cmd, sizeof(cmd),
		 "cd %s && mkdir -p lib/x86_64-linux-gnu app && printf 'same bytes' > lib/x86_64-linux-gnu/a.so && "
		 "printf 'same bytes' > lib/x86_64-linux-gnu/b.so && printf 'console.log(1)\\n' > app/main.js && "
		 ": > app/empty && find . | LC_ALL=C sort | cpio -o -H newc --quiet > %s.cpio",
		 dir, dir);
	if (system(cmd) != 0)
		return -1;
	char path[512];
	snprintf(path, sizeof(path), "%s.cpio", dir);
	archive = fake_read_file(path, &archive_len);
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s.cpio", dir, dir);
	if (system(cmd) != 0)
		return -1;
	return archive ? 0 : -1;
}

static int free_archive(void **state)
{
	(void)state;
	free(archive);
	return 0;
}

static int find_entry(const uint8_t *a, size_t len, const char *name, struct cpio_entry *out)
{
	struct cpio_iter it;
	struct cpio_entry e;
	int rc;
	cpio_iter_init(&it, a, len);
	while ((rc = cpio_next(&it, &e)) > 0)
		if (e.name_len == strlen(name) && memcmp(e.name, name, e.name_len) == 0) {
			*out = e;
			return 1;
		}
	return rc;
}

static void test_cpio_reads_every_entry(void **state)
{
	(void)state;
	struct cpio_entry e;
	assert_int_equal(find_entry(archive, archive_len, "app/main.js", &e), 1);
	assert_int_equal(e.size, 15);
	assert_memory_equal(e.data, "console.log(1)\n", 15);
	assert_int_equal(e.mode & S_IFMT, S_IFREG);
	assert_int_equal(find_entry(archive, archive_len, "lib/x86_64-linux-gnu", &e), 1);
	assert_int_equal(e.mode & S_IFMT, S_IFDIR);
	assert_int_equal(find_entry(archive, archive_len, "app/empty", &e), 1);
	assert_int_equal(e.size, 0);
	assert_int_equal(find_entry(archive, archive_len, "no/such", &e), 0); /* trailer reached */
}

static void test_cpio_truncated_archive_is_an_error(void **state)
{
	(void)state;
	struct cpio_entry e;
	/* Cut inside main.js's data: the entry must be refused, not read past the end. */
	struct cpio_entry whole;
	assert_int_equal(find_entry(archive, archive_len, "app/main.js", &whole), 1);
	size_t cut = (size_t)(whole.data - archive) + 5;
	uint8_t *copy = malloc(cut);
	memcpy(copy, archive, cut);
	assert_int_equal(find_entry(copy, cut, "app/main.js", &e), -EINVAL);
	/* A header cut in two. */
	assert_true(find_entry(copy, NEWC_HEADER_LEN / 2, "app/main.js", &e) < 0);
	free(copy);
}

static void test_cpio_bad_magic_and_sizes_are_errors(void **state)
{
	(void)state;
	struct cpio_entry e;
	uint8_t *copy = malloc(archive_len);
	memcpy(copy, archive, archive_len);
	copy[5] = '2'; /* "070702" is the CRC format, not newc */
	assert_int_equal(find_entry(copy, archive_len, "app/main.js", &e), -EINVAL);
	memcpy(copy, archive, archive_len);
	memcpy(copy + 6 + 8 * 6, "7fffffff", 8); /* first entry's filesize: 2 GiB */
	assert_int_equal(find_entry(copy, archive_len, "app/main.js", &e), -EINVAL);
	memcpy(copy, archive, archive_len);
	memcpy(copy + 6 + 8 * 11, "0000zz00", 8); /* namesize not hex */
	assert_int_equal(find_entry(copy, archive_len, "app/main.js", &e), -EINVAL);
	free(copy);
}

static void test_fs_files_have_distinct_inodes_and_contents(void **state)
{
	(void)state;
	assert_int_equal(fs_init(archive, archive_len), 0);
	const struct node *a = fs_lookup("/lib/x86_64-linux-gnu/a.so");
	const struct node *b = fs_lookup("/lib/x86_64-linux-gnu//b.so");
	assert_non_null(a);
	assert_non_null(b);
	/* Same bytes, different files: ld.so must not take one for the other. */
	assert_int_not_equal(a->ino, b->ino);
	assert_int_equal(a->size, 10);
	assert_memory_equal(a->data, "same bytes", 10);
	const struct node *d = fs_lookup("/lib/x86_64-linux-gnu");
	assert_non_null(d);
	assert_int_equal(d->kind, NODE_DIR);
	assert_non_null(fs_lookup("/app/./main.js"));
	assert_null(fs_lookup("/app/missing.js"));
	/* Synthetic files. */
	assert_int_equal(fs_lookup("/dev/null")->kind, NODE_NULL);
	assert_int_equal(fs_lookup("/dev/urandom")->kind, NODE_RANDOM);
	assert_int_equal(fs_lookup("/dev/random")->kind, NODE_RANDOM);
	const struct node *online = fs_lookup("/sys/devices/system/cpu/online");
	assert_non_null(online);
	char buf[32];
	size_t n = online->generate(buf, sizeof(buf));
	assert_int_equal(n, 4);
	assert_memory_equal(buf, "0-1\n", 4); /* the fake has 2 CPUs */
	assert_non_null(fs_lookup("/proc/self/maps"));
}

/* A second archive (or several concatenated, with NUL padding between them as a boot
 * loader may leave) adds files and replaces those at the same path; after fs_init. */
static void test_fs_later_archives_add_and_replace_files(void **state)
{
	(void)state;
	char dir[] = "/tmp/rtjs-cpio2-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char cmd[1024];
	snprintf(cmd, sizeof(cmd),
		 "cd %s && mkdir app && printf 'console.log(2)\\n' > app/main.js && printf 'new' > app/new.js && "
		 "printf 'app/main.js\\n' | cpio -o -H newc --quiet > one.cpio && "
		 "printf 'app/new.js\\n' | cpio -o -H newc --quiet > two.cpio && "
		 "cat one.cpio > both.cpio && head -c 512 /dev/zero >> both.cpio && cat two.cpio >> both.cpio",
		 dir);
	assert_int_equal(system(cmd), 0);
	char path[512];
	size_t len;
	snprintf(path, sizeof(path), "%s/both.cpio", dir);
	uint8_t *both = fake_read_file(path, &len);
	assert_non_null(both);
	size_t before = fs_node_count();
	assert_int_equal(fs_add_archive(both, len), 0);
	const struct node *main_js = fs_lookup("/app/main.js");
	assert_non_null(main_js);
	assert_int_equal(main_js->size, 15);
	assert_memory_equal(main_js->data, "console.log(2)\n", 15);
	const struct node *added = fs_lookup("/app/new.js");
	assert_non_null(added);
	assert_memory_equal(added->data, "new", 3);
	assert_int_equal(fs_node_count(), before + 1); /* main.js replaced, not duplicated */
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	free(both);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpio_reads_every_entry),
		cmocka_unit_test(test_cpio_truncated_archive_is_an_error),
		cmocka_unit_test(test_cpio_bad_magic_and_sizes_are_errors),
		cmocka_unit_test(test_fs_files_have_distinct_inodes_and_contents),
		cmocka_unit_test(test_fs_later_archives_add_and_replace_files),
	};
	return cmocka_run_group_tests(tests, make_archive, free_archive);
}
