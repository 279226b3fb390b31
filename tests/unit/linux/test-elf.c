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

/* A minimal ELF64 file with a section table: [0] null, [1] .symtab with one function
 * symbol "f" at FN_ADDR, [2] .strtab "\0f\0". Offsets and sizes are then damaged by the
 * tests. */
#define FN_ADDR 0x1000
#define E_SHOFF_OFF 40
#define E_SHENTSIZE_OFF 58
#define E_SHNUM_OFF 60
#define SHDR_SIZE 64
#define SYM_SIZE 24
#define SH_TYPE_OFF 4
#define SH_OFFSET_OFF 24
#define SH_SIZE_OFF 32
#define SH_LINK_OFF 40
#define SHT_SYMTAB 2
#define SHT_STRTAB 3
#define STT_FUNC 2
#define TINY_SYMS 64        /* after the ELF header */
#define TINY_STRS (TINY_SYMS + SYM_SIZE)
#define TINY_SHDRS 96      /* 8-aligned, after the 3-byte string table */
#define TINY_SIZE (TINY_SHDRS + 3 * SHDR_SIZE)

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static void make_tiny(uint8_t *b)
{
	memset(b, 0, TINY_SIZE);
	memcpy(b, "\177ELF\2\1\1", 7);
	put16(b + E_TYPE_OFF, 3);
	put16(b + E_MACHINE_OFF, 62);
	put16(b + 54, PHDR_SIZE); /* e_phentsize; no program headers */
	put64(b + E_SHOFF_OFF, TINY_SHDRS);
	put16(b + E_SHENTSIZE_OFF, SHDR_SIZE);
	put16(b + E_SHNUM_OFF, 3);
	put32(b + TINY_SYMS, 1);             /* st_name: "f" */
	b[TINY_SYMS + 4] = STT_FUNC;         /* st_info */
	put64(b + TINY_SYMS + 8, FN_ADDR);   /* st_value */
	put64(b + TINY_SYMS + 16, 16);       /* st_size */
	memcpy(b + TINY_STRS, "\0f\0", 3);
	uint8_t *symtab = b + TINY_SHDRS + SHDR_SIZE, *strtab = symtab + SHDR_SIZE;
	put32(symtab + SH_TYPE_OFF, SHT_SYMTAB);
	put64(symtab + SH_OFFSET_OFF, TINY_SYMS);
	put64(symtab + SH_SIZE_OFF, SYM_SIZE);
	put32(symtab + SH_LINK_OFF, 2);
	put32(strtab + SH_TYPE_OFF, SHT_STRTAB);
	put64(strtab + SH_OFFSET_OFF, TINY_STRS);
	put64(strtab + SH_SIZE_OFF, 3);
}

/* A file node over a buffer of exactly the file's size (a read past it shows under a
 * sanitizer; tests/fuzz/ builds the loader with one). */
static struct node tiny_node(uint8_t *buf, size_t len)
{
	struct node n = { .path = "/tiny", .kind = NODE_FILE, .mode = S_IFREG | 0644, .ino = 2,
			  .data = buf, .size = len };
	return n;
}

static void test_elf_symbol_reads_a_crafted_table(void **state)
{
	(void)state;
	uint8_t *b = malloc(TINY_SIZE);
	make_tiny(b);
	struct node n = tiny_node(b, TINY_SIZE);
	uint64_t off = 0;
	const char *name = elf_symbol(&n, 0, FN_ADDR + 5, &off);
	assert_non_null(name);
	assert_string_equal(name, "f");
	assert_int_equal(off, 5);
	assert_null(elf_symbol(&n, 0, FN_ADDR + 16, &off)); /* past the symbol's size */
	free(b);
}

static void test_elf_symbol_refuses_tables_that_wrap_or_overrun(void **state)
{
	(void)state;
	uint8_t *b = malloc(TINY_SIZE);
	uint8_t *symtab = b + TINY_SHDRS + SHDR_SIZE, *strtab = symtab + SHDR_SIZE;
	struct node n = tiny_node(b, TINY_SIZE);
	uint64_t off;
	/* offset + size wraps around to a small number */
	make_tiny(b);
	put64(symtab + SH_SIZE_OFF, UINT64_MAX - TINY_SYMS + 1 + SYM_SIZE);
	assert_null(elf_symbol(&n, 0, FN_ADDR, &off));
	make_tiny(b);
	put64(strtab + SH_OFFSET_OFF, UINT64_MAX - 1);
	assert_null(elf_symbol(&n, 0, FN_ADDR, &off));
	/* a symbol table one byte longer than the file */
	make_tiny(b);
	put64(symtab + SH_SIZE_OFF, TINY_SIZE - TINY_SYMS + 1);
	assert_null(elf_symbol(&n, 0, FN_ADDR, &off));
	/* a section table past the end, or wrapping */
	make_tiny(b);
	put64(b + E_SHOFF_OFF, UINT64_MAX - SHDR_SIZE);
	assert_null(elf_symbol(&n, 0, FN_ADDR, &off));
	/* a string table link to a section that is not a string table */
	make_tiny(b);
	put32(symtab + SH_LINK_OFF, 1);
	assert_null(elf_symbol(&n, 0, FN_ADDR, &off));
	free(b);
}

static void test_elf_symbol_refuses_unterminated_names(void **state)
{
	(void)state;
	uint8_t *b = malloc(TINY_SIZE);
	uint8_t *strtab = b + TINY_SHDRS + 2 * SHDR_SIZE;
	struct node n = tiny_node(b, TINY_SIZE);
	uint64_t off;
	make_tiny(b);
	put64(strtab + SH_SIZE_OFF, 2); /* "\0f": the name's NUL lies outside the table */
	assert_null(elf_symbol(&n, 0, FN_ADDR, &off));
	make_tiny(b);
	put32(b + TINY_SYMS, 3); /* st_name past the table */
	assert_null(elf_symbol(&n, 0, FN_ADDR, &off));
	free(b);
}

static void test_elf_lookups_on_files_that_are_not_elf(void **state)
{
	(void)state;
	static const char text[] = "console.log(1)\n";
	uint8_t *b = malloc(sizeof(text) - 1);
	memcpy(b, text, sizeof(text) - 1);
	struct node n = tiny_node(b, sizeof(text) - 1);
	uint64_t off;
	assert_null(elf_symbol(&n, 0, 0, &off));
	assert_int_equal(elf_offset_to_vaddr(&n, 7), 7);
	n.size = 0;
	assert_null(elf_symbol(&n, 0, 0, &off));
	assert_int_equal(elf_offset_to_vaddr(&n, 0), 0);
	free(b);
}

static void test_elf_refuses_segments_outside_the_lower_half(void **state)
{
	(void)state;
	struct file t = load_host(TRUE_PATH);
	uint64_t phoff = u64_at(t.bytes + E_PHOFF_OFF);
	uint8_t *ph = t.bytes + phoff;
	for (unsigned i = 0; i < u16_at(t.bytes + E_PHNUM_OFF); i++, ph += PHDR_SIZE) {
		uint32_t type;
		memcpy(&type, ph, 4);
		if (type == PT_LOAD)
			break;
	}
	put64(ph + 40, UINT64_MAX - 0x1000); /* p_memsz: vaddr + memsz wraps */
	assert_int_equal(elf_check(&t.node), -ENOEXEC);
	assert_non_null(strstr(fake_last_log(), "lower half"));
	struct mm mm;
	struct elf_image img;
	fake_reset();
	assert_int_equal(mm_init(&mm), 0);
	assert_int_equal(elf_load(&mm, &t.node, PIE_BASE, &img), -ENOEXEC);
	assert_null(mm.head);
	free(t.bytes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_elf_accepts_debian_binaries),
		cmocka_unit_test(test_elf_refuses_damaged_files),
		cmocka_unit_test(test_elf_load_maps_segments_of_a_pie),
		cmocka_unit_test(test_elf_load_places_ldso_below_the_mmap_top),
		cmocka_unit_test(test_elf_symbol_names_ldso_functions),
		cmocka_unit_test(test_elf_symbol_reads_a_crafted_table),
		cmocka_unit_test(test_elf_symbol_refuses_tables_that_wrap_or_overrun),
		cmocka_unit_test(test_elf_symbol_refuses_unterminated_names),
		cmocka_unit_test(test_elf_lookups_on_files_that_are_not_elf),
		cmocka_unit_test(test_elf_refuses_segments_outside_the_lower_half),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
