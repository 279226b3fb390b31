/* ELF loading (src/platform/x86_64/linux/elf.c) of real Debian binaries read from the
 * host: /bin/true (a PIE program with PT_INTERP) and glibc's ld.so. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fake-kernel.h"
#include "linux/elf.h"
#include "linux/fs.h"
#include "linux/vma.h"
#include "mm/paging.h"

#define TRUE_PATH "/bin/true"
#define LDSO_PATH "/lib64/ld-linux-x86-64.so.2"
/* ELF64 header fields (System V gABI, "ELF Header"). */
#define E_TYPE_OFF 16
#define E_MACHINE_OFF 18
#define E_ENTRY_OFF 24
#define E_PHOFF_OFF 32
#define E_PHNUM_OFF 56
#define PHDR_SIZE 56
#define PT_LOAD 1
#define PF_X 1
#define PF_W 2

struct file {
	struct node node;
	uint8_t *bytes;
};

static struct file load_host(const char *path)
{
	struct file f = { 0 };
	size_t len = 0;
	f.bytes = fake_read_file(path, &len);
	assert_non_null(f.bytes);
	f.node.path = path;
	f.node.kind = NODE_FILE;
	f.node.mode = S_IFREG | 0755;
	f.node.ino = 1;
	f.node.data = f.bytes;
	f.node.size = len;
	return f;
}

static uint64_t u64_at(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static uint16_t u16_at(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }

static void test_elf_accepts_debian_binaries(void **state)
{
	(void)state;
	struct file t = load_host(TRUE_PATH), l = load_host(LDSO_PATH);
	assert_int_equal(elf_check(&t.node), 0);
	assert_int_equal(elf_check(&l.node), 0);
	free(t.bytes);
	free(l.bytes);
}

static void test_elf_refuses_damaged_files(void **state)
{
	(void)state;
	struct file t = load_host(TRUE_PATH);
	t.bytes[E_MACHINE_OFF] = 3; /* EM_386 */
	assert_int_equal(elf_check(&t.node), -ENOEXEC);
	assert_non_null(strstr(fake_last_log(), "not x86_64"));
	t.bytes[E_MACHINE_OFF] = 62;
	uint64_t far = UINT64_C(1) << 40;
	memcpy(t.bytes + E_PHOFF_OFF, &far, 8); /* program headers past the end */
	assert_int_equal(elf_check(&t.node), -ENOEXEC);
	assert_non_null(strstr(fake_last_log(), "program headers outside the file"));
	free(t.bytes);
	struct file s = load_host(TRUE_PATH);
	s.node.size = 40; /* shorter than a header */
	assert_int_equal(elf_check(&s.node), -ENOEXEC);
	assert_non_null(strstr(fake_last_log(), "too small"));
	s.node.size = 4096;
	memcpy(s.bytes, "#!/bin/sh\n", 10); /* a script */
	assert_int_equal(elf_check(&s.node), -ENOEXEC);
	assert_non_null(strstr(fake_last_log(), "no ELF magic"));
	free(s.bytes);
}

static void test_elf_load_maps_segments_of_a_pie(void **state)
{
	(void)state;
	struct mm mm;
	fake_reset();
	assert_int_equal(mm_init(&mm), 0);
	struct file t = load_host(TRUE_PATH);
	struct elf_image img;
	assert_int_equal(elf_load(&mm, &t.node, PIE_BASE, &img), 0);
	assert_string_equal(img.interp, LDSO_PATH);
	assert_int_equal(img.bias, PIE_BASE);
	assert_int_equal(img.entry, PIE_BASE + u64_at(t.bytes + E_ENTRY_OFF));
	assert_int_equal(img.phnum, u16_at(t.bytes + E_PHNUM_OFF));
	assert_int_equal(img.phent, PHDR_SIZE);
	assert_int_equal(fake_pages_live(), 0); /* nothing copied before it is touched */
	/* Each PT_LOAD's protections, and its bytes on first touch. */
	const uint8_t *ph = t.bytes + u64_at(t.bytes + E_PHOFF_OFF);
	int loads = 0;
	for (unsigned i = 0; i < img.phnum; i++, ph += PHDR_SIZE) {
		uint32_t type, flags;
		memcpy(&type, ph, 4);
		memcpy(&flags, ph + 4, 4);
		if (type != PT_LOAD)
			continue;
		loads++;
		uint64_t off = u64_at(ph + 8), vaddr = u64_at(ph + 16);
		struct vma *v = vma_find(&mm, PIE_BASE + vaddr);
		assert_non_null(v);
		assert_int_equal(!!(v->prot & PROT_EXEC), !!(flags & PF_X));
		assert_int_equal(!!(v->prot & PROT_WRITE), !!(flags & PF_W));
		assert_int_equal(vma_fault(&mm, PIE_BASE + vaddr, 0, 0), 0);
		const uint8_t *page = fake_page((PIE_BASE + vaddr) & PAGE_MASK);
		assert_non_null(page);
		assert_memory_equal(page + (vaddr & ~PAGE_MASK), t.bytes + off, 16);
	}
	assert_true(loads >= 2);
	/* The program headers are visible where AT_PHDR says. */
	assert_int_equal(vma_fault(&mm, img.phdr, 0, 0), 0);
	assert_memory_equal((const uint8_t *)fake_page(img.phdr & PAGE_MASK) + (img.phdr & ~PAGE_MASK),
			    t.bytes + u64_at(t.bytes + E_PHOFF_OFF), PHDR_SIZE);
	vma_unmap(&mm, 0, USER_LIMIT);
	assert_int_equal(fake_pages_live(), 0);
	free(t.bytes);
}

static void test_elf_load_places_ldso_below_the_mmap_top(void **state)
{
	(void)state;
	struct mm mm;
	fake_reset();
	assert_int_equal(mm_init(&mm), 0);
	struct file l = load_host(LDSO_PATH);
	struct elf_image img;
	assert_int_equal(elf_load(&mm, &l.node, 0, &img), 0);
	assert_string_equal(img.interp, "");
	assert_true(img.bias >= MMAP_BOTTOM && img.end <= MMAP_TOP);
	assert_int_equal(img.bias & ~PAGE_MASK, 0);
	assert_non_null(vma_find(&mm, img.entry));
	assert_true(vma_find(&mm, img.entry)->prot & PROT_EXEC);
	vma_unmap(&mm, 0, USER_LIMIT);
	free(l.bytes);
}

/* Finds an exported function of ld.so with nm, as the fault report would name it. */
static void test_elf_symbol_names_ldso_functions(void **state)
{
	(void)state;
	FILE *p = popen("nm -D --defined-only " LDSO_PATH " | awk '$2 == \"T\" { print $1, $3; exit }'", "r");
	assert_non_null(p);
	char name[256];
	unsigned long long addr;
	assert_int_equal(fscanf(p, "%llx %255s", &addr, name), 2);
	pclose(p);
	char *at = strchr(name, '@');
	if (at)
		*at = 0;
	struct file l = load_host(LDSO_PATH);
	uint64_t off = 99;
	const uint64_t bias = UINT64_C(0x7f1234560000);
	const char *sym = elf_symbol(&l.node, bias, bias + addr + 3, &off);
	assert_non_null(sym);
	assert_string_equal(sym, name);
	assert_int_equal(off, 3);
	free(l.bytes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_elf_accepts_debian_binaries),
		cmocka_unit_test(test_elf_refuses_damaged_files),
		cmocka_unit_test(test_elf_load_maps_segments_of_a_pie),
		cmocka_unit_test(test_elf_load_places_ldso_below_the_mmap_top),
		cmocka_unit_test(test_elf_symbol_names_ldso_functions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
