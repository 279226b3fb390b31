#include "linux/elf.h"

#include <errno.h>
#include <string.h>

#include "lib/log.h"

/* ELF64 structures and constants (System V gABI, "ELF Header", "Program Header"). */
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
#define SHT_DYNSYM 11
#define STT_FUNC 2

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

static const struct ehdr *header(const struct node *f)
{
	return (const struct ehdr *)f->data;
}

static const struct phdr *phdrs(const struct node *f)
{
	return (const struct phdr *)(f->data + header(f)->phoff);
}

int elf_check(const struct node *f)
{
	const char *why = NULL;
	const struct ehdr *h = header(f);
	if (f->kind != NODE_FILE || f->size < sizeof(struct ehdr))
		why = "too small to be ELF";
	else if (memcmp(h->ident, "\177ELF", 4) != 0)
		why = "no ELF magic";
	else if (h->ident[4] != ELFCLASS64 || h->ident[5] != ELFDATA2LSB || h->machine != EM_X86_64)
		why = "not x86_64 ELF64 little-endian";
	else if (h->type != ET_EXEC && h->type != ET_DYN)
		why = "neither an executable nor a shared object";
	else if (h->phentsize != sizeof(struct phdr) || h->phoff > f->size ||
		 (uint64_t)h->phnum * sizeof(struct phdr) > f->size - h->phoff)
		why = "program headers outside the file";
	if (!why) {
		for (unsigned i = 0; i < h->phnum && !why; i++) {
			const struct phdr *p = &phdrs(f)[i];
			if ((p->type == PT_LOAD || p->type == PT_INTERP) &&
			    (p->offset > f->size || p->filesz > f->size - p->offset))
				why = "a segment lies outside the file";
			else if (p->type == PT_LOAD && (p->filesz > p->memsz ||
							 (p->vaddr - p->offset) % PAGE_SIZE != 0))
				why = "a PT_LOAD segment is malformed";
		}
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

static uint64_t page_up(uint64_t v)
{
	return (v + PAGE_SIZE - 1) & PAGE_MASK;
}

int elf_load(struct mm *mm, const struct node *f, uint64_t base, struct elf_image *out)
{
	int rc = elf_check(f);
	if (rc < 0)
		return rc;
	const struct ehdr *h = header(f);
	uint64_t lo = UINT64_MAX, hi = 0;
	memset(out, 0, sizeof(*out));
	for (unsigned i = 0; i < h->phnum; i++) {
		const struct phdr *p = &phdrs(f)[i];
		if (p->type == PT_LOAD) {
			if ((p->vaddr & PAGE_MASK) < lo)
				lo = p->vaddr & PAGE_MASK;
			if (page_up(p->vaddr + p->memsz) > hi)
				hi = page_up(p->vaddr + p->memsz);
		} else if (p->type == PT_INTERP) {
			size_t n = p->filesz < ELF_INTERP_MAX ? p->filesz : ELF_INTERP_MAX - 1;
			memcpy(out->interp, f->data + p->offset, n);
			out->interp[n] = 0;
		}
	}
	if (lo >= hi)
		return -ENOEXEC;
	if (h->type == ET_DYN) {
		if (!base)
			base = vma_find_free(mm, hi - lo, 0);
		if (!base)
			return -ENOMEM;
		out->bias = base - lo;
	}
	for (unsigned i = 0; i < h->phnum; i++) {
		const struct phdr *p = &phdrs(f)[i];
		if (p->type != PT_LOAD)
			continue;
		unsigned prot = prot_of(p->flags);
		uint64_t start = out->bias + (p->vaddr & PAGE_MASK);
		uint64_t file_top = page_up(out->bias + p->vaddr + p->filesz);
		uint64_t mem_top = page_up(out->bias + p->vaddr + p->memsz);
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
		if (p->offset <= h->phoff && h->phoff < p->offset + p->filesz)
			out->phdr = out->bias + p->vaddr + (h->phoff - p->offset);
	}
	for (unsigned i = 0; i < h->phnum; i++)
		if (phdrs(f)[i].type == PT_PHDR)
			out->phdr = out->bias + phdrs(f)[i].vaddr;
	out->entry = out->bias + h->entry;
	out->phnum = h->phnum;
	out->phent = h->phentsize;
	out->end = out->bias + hi;
	return 0;
}

uint64_t elf_offset_to_vaddr(const struct node *f, uint64_t offset)
{
	const struct ehdr *h = header(f);
	for (unsigned i = 0; i < h->phnum; i++) {
		const struct phdr *p = &phdrs(f)[i];
		if (p->type == PT_LOAD && offset >= p->offset && offset < p->offset + p->filesz)
			return offset - p->offset + p->vaddr;
	}
	return offset;
}

/* The nearest function symbol at or below `addr` in one symbol table. */
static const char *lookup(const struct node *f, const struct shdr *tab, uint64_t addr,
			  uint64_t *offset)
{
	const struct shdr *sh = (const struct shdr *)(f->data + header(f)->shoff);
	const struct shdr *strtab = &sh[tab->link];
	if (tab->offset + tab->size > f->size || strtab->offset + strtab->size > f->size)
		return NULL;
	const struct sym *syms = (const struct sym *)(f->data + tab->offset);
	const struct sym *best = NULL;
	for (size_t i = 0; i < tab->size / sizeof(struct sym); i++) {
		const struct sym *s = &syms[i];
		if ((s->info & 0xf) != STT_FUNC || s->value > addr || s->name >= strtab->size)
			continue;
		if (!best || s->value > best->value)
			best = s;
	}
	if (!best || (best->size && addr >= best->value + best->size))
		return NULL;
	*offset = addr - best->value;
	return (const char *)f->data + strtab->offset + best->name;
}

const char *elf_symbol(const struct node *f, uint64_t bias, uint64_t addr, uint64_t *offset)
{
	const struct ehdr *h = header(f);
	if (!h->shoff || h->shentsize != sizeof(struct shdr) || h->shoff > f->size ||
	    (uint64_t)h->shnum * sizeof(struct shdr) > f->size - h->shoff)
		return NULL;
	const struct shdr *sh = (const struct shdr *)(f->data + h->shoff);
	const char *name = NULL;
	for (unsigned type = SHT_SYMTAB; !name; type = SHT_DYNSYM) {
		for (unsigned i = 0; i < h->shnum && !name; i++)
			if (sh[i].type == type && sh[i].link < h->shnum)
				name = lookup(f, &sh[i], addr - bias, offset);
		if (type == SHT_DYNSYM)
			break;
	}
	return name;
}
