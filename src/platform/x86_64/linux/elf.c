#include "linux/elf.h"

#include <errno.h>
#include <string.h>

#include "lib/log.h"

/* ELF64 structures and constants (System V gABI, "ELF Header", "Program Header",
 * "Sections", "Symbol Table"). */
#define EI_NIDENT 16
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ET_EXEC 2
#define ET_DYN 3
#define EM_X86_64 62
#define PT_LOAD 1
#define PT_INTERP 3
#define PT_PHDR 6
#define PF_X 1
#define PF_W 2
#define PF_R 4
#define SHT_SYMTAB 2
#define SHT_STRTAB 3
#define SHT_DYNSYM 11
#define STT_FUNC 2
#define ST_TYPE(info) ((info) & 0xf) /* gABI: ELF64_ST_TYPE */

struct ehdr {
	uint8_t ident[EI_NIDENT];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct shdr {
	uint32_t name, type;
	uint64_t flags, addr, offset, size;
	uint32_t link, info;
	uint64_t addralign, entsize;
};

struct sym {
	uint32_t name;
	uint8_t info, other;
	uint16_t shndx;
	uint64_t value, size;
};

/* Every offset and size below comes from the file and may be anything: ranges are checked
 * as `off <= size && len <= size - off` (no sum that can wrap), and structures are copied
 * out rather than cast in place, since the initrd keeps files only 4-byte aligned. */

/* 1 if [off, off + len) lies inside the file. */
static int in_file(const struct node *f, uint64_t off, uint64_t len)
{
	return f->kind == NODE_FILE && off <= f->size && len <= f->size - off;
}

/* Copies len bytes at off into out; 0, or -ENOEXEC when they are not all in the file. */
static int read_at(const struct node *f, uint64_t off, void *out, size_t len)
{
	if (!in_file(f, off, len))
		return -ENOEXEC;
	memcpy(out, f->data + off, len);
	return 0;
}

/* The i-th entry of a table of n entries of `entsize` bytes at `off` (i < n checked by the
 * caller; the table itself by table_in_file). */
static int read_entry(const struct node *f, uint64_t off, uint64_t i, size_t entsize, void *out)
{
	return read_at(f, off + i * entsize, out, entsize);
}

/* 1 if a table of n entries of entsize bytes at off lies inside the file. */
static int table_in_file(const struct node *f, uint64_t off, uint64_t n, uint64_t entsize)
{
	/* n < 2^16 for headers, and entsize is a structure size: n * entsize cannot wrap. */
	return in_file(f, off, n * entsize);
}

/* Why a file's ELF header is unusable, or NULL; fills *h. */
static const char *header_problem(const struct node *f, struct ehdr *h)
{
	if (f->kind != NODE_FILE || read_at(f, 0, h, sizeof(*h)) < 0)
		return "too small to be ELF";
	if (memcmp(h->ident, "\177ELF", 4) != 0)
		return "no ELF magic";
	if (h->ident[4] != ELFCLASS64 || h->ident[5] != ELFDATA2LSB || h->machine != EM_X86_64)
		return "not x86_64 ELF64 little-endian";
	if (h->phentsize != sizeof(struct phdr) || !table_in_file(f, h->phoff, h->phnum, sizeof(struct phdr)))
		return "program headers outside the file";
	return NULL;
}

static int phdr_at(const struct node *f, const struct ehdr *h, unsigned i, struct phdr *p)
{
	return read_entry(f, h->phoff, i, sizeof(*p), p);
}

/* Why one program header is unusable, or NULL. */
static const char *segment_problem(const struct node *f, const struct phdr *p)
{
	if ((p->type == PT_LOAD || p->type == PT_INTERP) && !in_file(f, p->offset, p->filesz))
		return "a segment lies outside the file";
	if (p->type != PT_LOAD)
		return NULL;
	if (p->filesz > p->memsz || (p->vaddr - p->offset) % PAGE_SIZE != 0)
		return "a PT_LOAD segment is malformed";
	if (p->vaddr >= USER_LIMIT || p->memsz > USER_LIMIT - p->vaddr)
		return "a PT_LOAD segment lies outside the lower half of the address space";
	return NULL;
}

int elf_check(const struct node *f)
{
	struct ehdr h;
	const char *why = header_problem(f, &h);
	if (!why && h.type != ET_EXEC && h.type != ET_DYN)
		why = "neither an executable nor a shared object";
	for (unsigned i = 0; !why && i < h.phnum; i++) {
		struct phdr p;
		why = phdr_at(f, &h, i, &p) < 0 ? "program headers outside the file" :
						  segment_problem(f, &p);
	}
	if (why) {
		kprintf("linux: %s: cannot run: %s\n", f->path, why);
		return -ENOEXEC;
	}
	return 0;
}

static unsigned prot_of(uint32_t pflags)
{
	return (pflags & PF_R ? PROT_READ : 0) | (pflags & PF_W ? PROT_WRITE : 0) |
	       (pflags & PF_X ? PROT_EXEC : 0);
}

/* Rounds up; v < USER_LIMIT, so it cannot wrap. */
static uint64_t page_up(uint64_t v)
{
	return (v + PAGE_SIZE - 1) & PAGE_MASK;
}

/* The page-aligned link-time span [*lo, *hi) of the PT_LOAD segments, and the interpreter's
 * path. Called on a checked file: every segment ends below USER_LIMIT. */
static void elf_span(const struct node *f, const struct ehdr *h, struct elf_image *out,
		     uint64_t *lo, uint64_t *hi)
{
	*lo = UINT64_MAX;
	*hi = 0;
	for (unsigned i = 0; i < h->phnum; i++) {
		struct phdr p;
		phdr_at(f, h, i, &p);
		if (p.type == PT_LOAD) {
			if ((p.vaddr & PAGE_MASK) < *lo)
				*lo = p.vaddr & PAGE_MASK;
			if (page_up(p.vaddr + p.memsz) > *hi)
				*hi = page_up(p.vaddr + p.memsz);
		} else if (p.type == PT_INTERP) {
			size_t n = p.filesz < ELF_INTERP_MAX ? p.filesz : ELF_INTERP_MAX - 1;
			memcpy(out->interp, f->data + p.offset, n);
			out->interp[n] = 0;
		}
	}
}

/* Maps one checked PT_LOAD segment at out->bias; notes where the headers are if inside. */
static int map_segment(struct mm *mm, const struct node *f, const struct ehdr *h,
		       const struct phdr *p, struct elf_image *out)
{
	unsigned prot = prot_of(p->flags);
	uint64_t start = out->bias + (p->vaddr & PAGE_MASK);
	uint64_t file_top = page_up(out->bias + p->vaddr + p->filesz);
	uint64_t mem_top = page_up(out->bias + p->vaddr + p->memsz);
	int rc;
	if (file_top > start) {
		rc = vma_map(mm, start, file_top - start, prot, f, p->offset & PAGE_MASK,
			     p->offset + p->filesz, NULL);
		if (rc < 0)
			return rc;
	}
	if (mem_top > file_top) {
		rc = vma_map(mm, file_top, mem_top - file_top, prot, NULL, 0, 0, NULL);
		if (rc < 0)
			return rc;
	}
	if (p->offset <= h->phoff && h->phoff - p->offset < p->filesz)
		out->phdr = out->bias + p->vaddr + (h->phoff - p->offset);
	return 0;
}

int elf_load(struct mm *mm, const struct node *f, uint64_t base, struct elf_image *out)
{
	int rc = elf_check(f);
	if (rc < 0)
		return rc;
	struct ehdr h;
	read_at(f, 0, &h, sizeof(h));
	uint64_t lo, hi;
	memset(out, 0, sizeof(*out));
	elf_span(f, &h, out, &lo, &hi);
	if (lo >= hi)
		return -ENOEXEC;
	if (h.type == ET_DYN) {
		if (!base)
			base = vma_find_free(mm, hi - lo, 0);
		if (!base)
			return -ENOMEM;
		if (base & ~PAGE_MASK || base >= USER_LIMIT || hi - lo > USER_LIMIT - base)
			return -ENOMEM;
		out->bias = base - lo;
	}
	struct phdr p;
	for (unsigned i = 0; i < h.phnum; i++) {
		phdr_at(f, &h, i, &p);
		if (p.type == PT_LOAD && (rc = map_segment(mm, f, &h, &p, out)) < 0)
			return rc;
	}
	for (unsigned i = 0; i < h.phnum; i++)
		if (phdr_at(f, &h, i, &p) == 0 && p.type == PT_PHDR)
			out->phdr = out->bias + p.vaddr;
	out->entry = out->bias + h.entry;
	out->phnum = h.phnum;
	out->phent = h.phentsize;
	out->end = out->bias + hi;
	return 0;
}

uint64_t elf_offset_to_vaddr(const struct node *f, uint64_t offset)
{
	struct ehdr h;
	if (header_problem(f, &h))
		return offset;
	for (unsigned i = 0; i < h.phnum; i++) {
		struct phdr p;
		if (phdr_at(f, &h, i, &p) == 0 && p.type == PT_LOAD && offset >= p.offset &&
		    offset - p.offset < p.filesz)
			return offset - p.offset + p.vaddr;
	}
	return offset;
}

/* The NUL-terminated name at `name` in a string table, or NULL when it is outside the
 * table or runs to its end without a NUL. */
static const char *string_at(const struct node *f, const struct shdr *strtab, uint32_t name)
{
	if (name >= strtab->size)
		return NULL;
	const char *s = (const char *)f->data + strtab->offset + name;
	return memchr(s, 0, strtab->size - name) ? s : NULL;
}

/* The nearest function symbol at or below `addr` in one symbol table whose string table
 * is `strtab`; both tables checked to lie inside the file. */
static const char *lookup(const struct node *f, const struct shdr *tab, const struct shdr *strtab,
			  uint64_t addr, uint64_t *offset)
{
	struct sym best = { 0 }, s;
	const char *best_name = NULL;
	for (uint64_t i = 0; i < tab->size / sizeof(struct sym); i++) {
		read_entry(f, tab->offset, i, sizeof(s), &s);
		if (ST_TYPE(s.info) != STT_FUNC || s.value > addr || (best_name && s.value <= best.value))
			continue;
		const char *name = string_at(f, strtab, s.name);
		if (name) {
			best = s;
			best_name = name;
		}
	}
	if (!best_name || (best.size && addr - best.value >= best.size))
		return NULL;
	*offset = addr - best.value;
	return best_name;
}

/* Reads section i's header and its linked string table, both inside the file. */
static int symbol_table_at(const struct node *f, const struct ehdr *h, unsigned i, unsigned type,
			   struct shdr *tab, struct shdr *strtab)
{
	if (read_entry(f, h->shoff, i, sizeof(*tab), tab) < 0 || tab->type != type ||
	    tab->link >= h->shnum || !in_file(f, tab->offset, tab->size))
		return -ENOEXEC;
	if (read_entry(f, h->shoff, tab->link, sizeof(*strtab), strtab) < 0 ||
	    strtab->type != SHT_STRTAB || !in_file(f, strtab->offset, strtab->size))
		return -ENOEXEC;
	return 0;
}

const char *elf_symbol(const struct node *f, uint64_t bias, uint64_t addr, uint64_t *offset)
{
	static const unsigned types[] = { SHT_SYMTAB, SHT_DYNSYM };
	struct ehdr h;
	if (header_problem(f, &h) || !h.shoff || h.shentsize != sizeof(struct shdr) ||
	    !table_in_file(f, h.shoff, h.shnum, sizeof(struct shdr)))
		return NULL;
	const char *name = NULL;
	for (unsigned t = 0; t < sizeof(types) / sizeof(types[0]) && !name; t++) {
		for (unsigned i = 0; i < h.shnum && !name; i++) {
			struct shdr tab, strtab;
			if (symbol_table_at(f, &h, i, types[t], &tab, &strtab) == 0)
				name = lookup(f, &tab, &strtab, addr - bias, offset);
		}
	}
	return name;
}
