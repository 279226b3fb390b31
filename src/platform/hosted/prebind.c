/*
 * prebind: copies of a program's first shared libraries whose references to their own symbols
 * are bound at build time, for that program.
 *
 *   prebind [-L DIR]... PROGRAM OUTDIR LIBRARY...
 *
 * Debian's libnode exports every symbol and is linked without -Bsymbolic, so each of its calls
 * and pointers to its own functions and data is a symbol relocation that ld.so resolves by name
 * at every start: about 50,000 of the 60,000 lookups of an empty rtjs-sim run, most of its
 * start-up (docs/design.md, "The runtime's libraries come prebound"); OpenSSL and libstdc++
 * are the same on a smaller scale. ld.so searches the program first, then its DT_NEEDED libraries in their
 * order, then theirs (System V gABI, "Shared Object Dependencies"). A lookup of a symbol that
 * library L defines, made by L itself, therefore ends at L unless the program or a library
 * before L defines that name too. For each LIBRARY (a DT_NEEDED name of PROGRAM, found in the
 * -L directories in order) the copy written to OUTDIR says so directly: R_X86_64_64, GLOB_DAT
 * and JUMP_SLOT relocations against symbols L defines, and nothing before it does, become
 * R_X86_64_RELATIVE relocations to the same address, which ld.so applies without a lookup.
 * The code, symbols and every other byte are the original's; the result is what linking the
 * library with -Bsymbolic would have given, minus the symbols defined before it; as with
 * -Bsymbolic, an LD_PRELOAD library no longer interposes a bound symbol for the library's own
 * references.
 *
 * STB_GNU_UNIQUE symbols (the statics of inline functions and templates, about 1,900 of
 * libnode's references) are one object process-wide: ld.so keeps a table of them and gives
 * every lookup the first definition it registered. The lookups reach L's definition all the
 * same when L is the only object of the program's closure (its needed libraries and theirs)
 * that defines the name, so those references are bound too; a name another object of the
 * closure defines keeps its lookup, as does every unique name when a library of the closure
 * cannot be read.
 *
 * Left alone: names defined before L (the program's interpositions and copy relocations, a
 * template instance another library also exports), unique names defined elsewhere too, TLS,
 * GNU indirect functions, absolute symbols, local and hidden versions, and relocations with
 * an addend ld.so would ignore. PLT relocations are bound only in a
 * library linked with BIND_NOW, where ld.so processes them eagerly in the loop that also
 * applies RELATIVE ones (glibc's elf_machine_rela); a lazily bound table may hold JUMP_SLOT
 * entries only.
 *
 * The RELATIVE relocations of .rela.dyn are moved to its front and DT_RELACOUNT set to their
 * number: ld.so applies that prefix in a tight loop, and the rest one by one through its
 * general path. In a BIND_NOW library whose PLT relocations directly follow .rela.dyn (as
 * libnode's), ld.so applies the two tables as one range, and the prefix then takes the
 * RELATIVE relocations of both (libnode: 31,000 more of them).
 *
 * Exit status 0, or 1 with the reason on stderr.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Slots of the table of names defined before a library: a power of two, several times the
 * names of the libraries a program is bound against (libnode alone defines 65,000). */
#define NAME_TABLE_SLOTS (1u << 20)

/* The names, by FNV-1a hash with linear probing; the strings are the objects' own. */
static const char **g_names;
static size_t g_name_count;

static uint64_t name_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325u; /* FNV-1a 64-bit offset basis and prime */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3u;
	return h;
}

/* Adds `name` (insert) or looks it up; true when it was there. */
static bool name_seen(const char *name, bool insert)
{
	size_t i = name_hash(name) & (NAME_TABLE_SLOTS - 1);
	for (; g_names[i]; i = (i + 1) & (NAME_TABLE_SLOTS - 1))
		if (strcmp(g_names[i], name) == 0)
			return true;
	if (insert)
		g_names[i] = name;
	return false;
}

/* Every name the program's closure defines, with how many of its objects define it. */
static const char **g_all;
static unsigned *g_all_objects;
static size_t g_all_count;
static bool g_closure_read;

/* The count of objects defining `name`, 0 for none; with `add`, counts one more. */
static unsigned closure_definers(const char *name, bool add)
{
	size_t i = name_hash(name) & (NAME_TABLE_SLOTS - 1);
	for (; g_all[i]; i = (i + 1) & (NAME_TABLE_SLOTS - 1))
		if (strcmp(g_all[i], name) == 0)
			return add ? ++g_all_objects[i] : g_all_objects[i];
	if (!add)
		return 0;
	g_all[i] = name;
	g_all_objects[i] = 1;
	g_all_count++;
	return 1;
}

struct image {
	const char *path;
	unsigned char *data;
	size_t size;
};

struct dyn_info {
	Elf64_Dyn *dynamic; /* in the image */
	const Elf64_Sym *symtab;
	const char *strtab;
	size_t strsz;
	const Elf64_Half *versym;
	Elf64_Rela *rela, *jmprel;
	Elf64_Addr rela_addr, jmprel_addr;
	size_t rela_count, jmprel_count;
	Elf64_Dyn *relacount; /* the DT_RELACOUNT entry, or NULL */
	size_t nsyms;
	const char *soname;
	const char *needed[64]; /* DT_NEEDED names, in order */
	size_t needed_count;
	bool bind_now;
	bool other_relocations; /* REL or RELR tables, which this tool does not rewrite */
};

static int fail(const char *path, const char *why)
{
	fprintf(stderr, "prebind: %s: %s\n", path, why);
	return 1;
}

static int read_image(const char *path, struct image *img)
{
	img->path = path;
	FILE *f = fopen(path, "rb");
	if (!f)
		return fail(path, strerror(errno));
	if (fseek(f, 0, SEEK_END) != 0) {
		fclose(f);
		return fail(path, strerror(errno));
	}
	long n = ftell(f);
	rewind(f);
	img->data = n > 0 ? malloc((size_t)n) : NULL;
	if (!img->data || fread(img->data, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		return fail(path, "cannot read it");
	}
	fclose(f);
	img->size = (size_t)n;
	return 0;
}

/* The image's bytes at virtual address `addr` (`len` of them), or NULL when no PT_LOAD
 * segment holds them in the file. */
static void *at_vaddr(const struct image *img, Elf64_Addr addr, size_t len)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img->data;
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(img->data + eh->e_phoff + (size_t)i * eh->e_phentsize);
		if (ph->p_type == PT_LOAD && addr >= ph->p_vaddr && addr + len <= ph->p_vaddr + ph->p_filesz &&
		    ph->p_offset + (addr - ph->p_vaddr) + len <= img->size)
			return img->data + ph->p_offset + (addr - ph->p_vaddr);
	}
	return NULL;
}

/* The number of symbols in .dynsym, from DT_GNU_HASH: one past the last symbol of the last
 * non-empty chain (a chain ends at the entry whose low bit is set). */
static size_t gnu_hash_symbols(const struct image *img, Elf64_Addr addr)
{
	const uint32_t *h = at_vaddr(img, addr, 16);
	if (!h)
		return 0;
	uint32_t nbuckets = h[0], symoffset = h[1], bloom_size = h[2];
	const uint32_t *buckets = at_vaddr(img, addr + 16 + (Elf64_Addr)bloom_size * 8, (size_t)nbuckets * 4);
	if (!buckets)
		return 0;
	uint32_t last = 0;
	for (uint32_t i = 0; i < nbuckets; i++)
		if (buckets[i] > last)
			last = buckets[i];
	if (last < symoffset)
		return symoffset;
	Elf64_Addr chains = addr + 16 + (Elf64_Addr)bloom_size * 8 + (Elf64_Addr)nbuckets * 4;
	for (;;) {
		const uint32_t *c = at_vaddr(img, chains + (Elf64_Addr)(last - symoffset) * 4, 4);
		if (!c)
			return 0;
		if (*c & 1)
			return (size_t)last + 1;
		last++;
	}
}

static int parse(const struct image *img, struct dyn_info *d)
{
	memset(d, 0, sizeof *d);
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img->data;
	if (img->size < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_machine != EM_X86_64 || eh->e_phoff + (size_t)eh->e_phnum * eh->e_phentsize > img->size)
		return fail(img->path, "not an x86-64 ELF64 object");
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(img->data + eh->e_phoff + (size_t)i * eh->e_phentsize);
		if (ph->p_type == PT_DYNAMIC && ph->p_offset + ph->p_filesz <= img->size)
			d->dynamic = (Elf64_Dyn *)(img->data + ph->p_offset);
	}
	if (!d->dynamic)
		return fail(img->path, "no dynamic section (not dynamically linked)");
	Elf64_Addr symtab = 0, strtab = 0, versym = 0, rela = 0, jmprel = 0, gnu_hash = 0;
	size_t relasz = 0, pltrelsz = 0, soname = SIZE_MAX, needed[64];
	bool rela_plt = true;
	for (Elf64_Dyn *e = d->dynamic; e->d_tag != DT_NULL; e++) {
		switch (e->d_tag) {
		case DT_SYMTAB: symtab = e->d_un.d_ptr; break;
		case DT_STRTAB: strtab = e->d_un.d_ptr; break;
		case DT_STRSZ: d->strsz = e->d_un.d_val; break;
		case DT_VERSYM: versym = e->d_un.d_ptr; break;
		case DT_RELA: rela = e->d_un.d_ptr; break;
		case DT_RELASZ: relasz = e->d_un.d_val; break;
		case DT_JMPREL: jmprel = e->d_un.d_ptr; break;
		case DT_PLTRELSZ: pltrelsz = e->d_un.d_val; break;
		case DT_PLTREL: rela_plt = e->d_un.d_val == DT_RELA; break;
		case DT_RELACOUNT: d->relacount = e; break;
		case DT_GNU_HASH: gnu_hash = e->d_un.d_ptr; break;
		case DT_SONAME: soname = e->d_un.d_val; break;
		case DT_NEEDED:
			if (d->needed_count == sizeof needed / sizeof *needed)
				return fail(img->path, "names too many needed libraries");
			needed[d->needed_count++] = e->d_un.d_val;
			break;
		case DT_FLAGS:
			d->bind_now |= (e->d_un.d_val & DF_BIND_NOW) != 0;
			break;
		case DT_FLAGS_1:
			d->bind_now |= (e->d_un.d_val & DF_1_NOW) != 0;
			break;
		case DT_RELR:
		case DT_REL:
			d->other_relocations = true;
			break;
		default: break;
		}
	}
	if (!rela_plt)
		return fail(img->path, "its PLT relocations are not RELA");
	d->strtab = at_vaddr(img, strtab, d->strsz);
	if (!d->strtab || !gnu_hash)
		return fail(img->path, "no string table or no DT_GNU_HASH");
	d->nsyms = gnu_hash_symbols(img, gnu_hash);
	d->symtab = at_vaddr(img, symtab, d->nsyms * sizeof(Elf64_Sym));
	if (!d->nsyms || !d->symtab)
		return fail(img->path, "cannot read its symbol table");
	if (versym && !(d->versym = at_vaddr(img, versym, d->nsyms * sizeof(Elf64_Half))))
		return fail(img->path, "cannot read its symbol versions");
	d->rela_addr = rela;
	d->jmprel_addr = jmprel;
	d->rela = relasz ? at_vaddr(img, rela, relasz) : NULL;
	d->jmprel = pltrelsz ? at_vaddr(img, jmprel, pltrelsz) : NULL;
	if ((relasz && !d->rela) || (pltrelsz && !d->jmprel))
		return fail(img->path, "cannot read its relocations");
	d->rela_count = relasz / sizeof(Elf64_Rela);
	d->jmprel_count = pltrelsz / sizeof(Elf64_Rela);
	d->soname = soname < d->strsz ? d->strtab + soname : NULL;
	for (size_t i = 0; i < d->needed_count; i++) {
		if (needed[i] >= d->strsz)
			return fail(img->path, "a needed library's name is outside its string table");
		d->needed[i] = d->strtab + needed[i];
	}
	return 0;
}

static const char *sym_name(const struct dyn_info *d, const Elf64_Sym *s)
{
	return s->st_name < d->strsz ? d->strtab + s->st_name : "";
}

/* Adds the names an object defines in its dynamic symbol table to the table of names defined
 * before the library being bound. */
static int note_definitions(const struct dyn_info *p)
{
	for (size_t i = 1; i < p->nsyms; i++) {
		const Elf64_Sym *s = &p->symtab[i];
		if (s->st_shndx == SHN_UNDEF)
			continue;
		if (!name_seen(sym_name(p, s), true) && ++g_name_count > NAME_TABLE_SLOTS / 2)
			return fail("prebind", "too many names for its table");
	}
	return 0;
}

/* Whether a reference to symbol `index` of the library can be bound to the library's own
 * definition: see the header for what is left alone and why. */
static bool bindable(const struct dyn_info *d, size_t index)
{
	if (index == 0 || index >= d->nsyms)
		return false;
	const Elf64_Sym *s = &d->symtab[index];
	unsigned type = ELF64_ST_TYPE(s->st_info), bind = ELF64_ST_BIND(s->st_info);
	if (s->st_shndx == SHN_UNDEF || s->st_shndx == SHN_ABS || s->st_shndx == SHN_COMMON)
		return false;
	if (type != STT_FUNC && type != STT_OBJECT && type != STT_NOTYPE)
		return false;
	if (bind == STB_GNU_UNIQUE) {
		if (!g_closure_read || closure_definers(sym_name(d, s), false) != 1)
			return false;
	} else if (bind != STB_GLOBAL && bind != STB_WEAK) {
		return false;
	}
	/* A hidden version (bit 15) is reached only by references naming it; index 0 is local. */
	if (d->versym && ((d->versym[index] & 0x8000) || (d->versym[index] & 0x7fff) == 0))
		return false;
	return !name_seen(sym_name(d, s), false);
}

/* Rewrites the relocations of one table; returns how many were bound and adds the number of
 * symbol relocations it had to *symbolic. */
static size_t bind_table(const struct dyn_info *d, Elf64_Rela *r, size_t count, size_t *symbolic)
{
	size_t bound = 0;
	for (size_t i = 0; i < count; i++) {
		unsigned type = ELF64_R_TYPE(r[i].r_info);
		size_t index = ELF64_R_SYM(r[i].r_info);
		*symbolic += index != 0;
		Elf64_Sxword addend;
		if (type == R_X86_64_64)
			addend = r[i].r_addend;
		else if ((type == R_X86_64_GLOB_DAT || type == R_X86_64_JUMP_SLOT) && r[i].r_addend == 0)
			addend = 0; /* ld.so stores the symbol's address alone for these */
		else
			continue;
		if (!bindable(d, index))
			continue;
		r[i].r_info = ELF64_R_INFO(0, R_X86_64_RELATIVE);
		r[i].r_addend = (Elf64_Sxword)d->symtab[index].st_value + addend;
		bound++;
	}
	return bound;
}

/* Moves .rela.dyn's RELATIVE relocations to its front (each writes its own address, so the
 * order among them does not matter) and sets DT_RELACOUNT to their number. In a BIND_NOW
 * library whose PLT relocations directly follow .rela.dyn, ld.so applies both tables as one
 * range (glibc's _ELF_DYNAMIC_DO_RELOC), so the RELATIVE ones bound in the PLT table move to
 * that front too, and the JUMP_SLOT ones left go behind the others. */
static int relative_first(struct dyn_info *d, const char *path)
{
	if (!d->rela_count)
		return 0;
	size_t count = d->rela_count;
	if (d->bind_now && d->jmprel_count && d->rela_addr + d->rela_count * sizeof(Elf64_Rela) == d->jmprel_addr &&
	    d->rela + d->rela_count == d->jmprel)
		count += d->jmprel_count;
	Elf64_Rela *sorted = malloc(count * sizeof *sorted);
	if (!sorted)
		return fail(path, "out of memory");
	size_t n = 0;
	for (size_t i = 0; i < count; i++)
		if (ELF64_R_TYPE(d->rela[i].r_info) == R_X86_64_RELATIVE)
			sorted[n++] = d->rela[i];
	size_t relative = n;
	for (size_t i = 0; i < count; i++)
		if (ELF64_R_TYPE(d->rela[i].r_info) != R_X86_64_RELATIVE)
			sorted[n++] = d->rela[i];
	memcpy(d->rela, sorted, count * sizeof *sorted);
	free(sorted);
	if (d->relacount) {
		d->relacount->d_un.d_val = relative;
		return 0;
	}
	/* No DT_RELACOUNT entry to raise: ld.so then treats every entry alike, still correct. */
	return 0;
}

/* Reads `name` from the first of `dirs` that has it. */
static int find_image(const char *name, char **dirs, size_t ndirs, struct image *img)
{
	for (size_t i = 0; i < ndirs; i++) {
		char *path;
		if (asprintf(&path, "%s/%s", dirs[i], name) < 0)
			return fail(name, "out of memory");
		if (access(path, R_OK) == 0)
			return read_image(path, img);
		free(path);
	}
	return fail(name, "not found in any -L directory");
}

/* Binds one library and writes it to `out`; written beside it and renamed over it, so that a
 * program never loads half a library. */
static int bind_library(struct image *lib, struct dyn_info *d, const char *out)
{
	if (d->other_relocations)
		return fail(lib->path, "has REL or RELR relocations, which this tool does not rewrite");
	size_t symbolic = 0;
	size_t bound = bind_table(d, d->rela, d->rela_count, &symbolic);
	if (d->bind_now)
		bound += bind_table(d, d->jmprel, d->jmprel_count, &symbolic);
	if (relative_first(d, lib->path))
		return 1;
	char *tmp;
	if (asprintf(&tmp, "%s.new", out) < 0)
		return fail(out, "out of memory");
	FILE *f = fopen(tmp, "wb");
	if (!f || fwrite(lib->data, 1, lib->size, f) != lib->size || fclose(f) != 0 || rename(tmp, out) != 0) {
		remove(tmp);
		return fail(out, strerror(errno));
	}
	free(tmp);
	printf("prebind: %s: %zu of %zu symbol relocations bound to its own definitions\n", out, bound, symbolic);
	return 0;
}

/* Counts the names each object of the program's closure defines (each object once, by its
 * DT_NEEDED name); false when one of them is in no -L directory or cannot be read, and unique
 * names then stay unbound. The images stay allocated: the table points into their strings. */
static bool read_closure(const struct dyn_info *pd, char **dirs, size_t ndirs)
{
	const char *names[256];
	size_t count = 0;
	for (size_t n = 0; n < pd->needed_count && count < 256; n++)
		names[count++] = pd->needed[n];
	for (size_t k = 0; k < count; k++) {
		struct image *img = malloc(sizeof *img);
		struct dyn_info *d = malloc(sizeof *d);
		bool found = false;
		for (size_t i = 0; img && d && i < ndirs && !found; i++) {
			char *path;
			if (asprintf(&path, "%s/%s", dirs[i], names[k]) < 0)
				return false;
			found = access(path, R_OK) == 0 && read_image(path, img) == 0 && parse(img, d) == 0;
			if (!found)
				free(path);
		}
		if (!found)
			return false;
		for (size_t i = 1; i < d->nsyms; i++) {
			const Elf64_Sym *sym = &d->symtab[i];
			if (sym->st_shndx != SHN_UNDEF)
				closure_definers(sym_name(d, sym), true);
			if (g_all_count > NAME_TABLE_SLOTS / 2)
				return false;
		}
		for (size_t n = 0; n < d->needed_count; n++) {
			bool seen = false;
			for (size_t j = 0; j < count && !seen; j++)
				seen = strcmp(names[j], d->needed[n]) == 0;
			if (!seen) {
				if (count == 256)
					return false;
				names[count++] = d->needed[n];
			}
		}
	}
	return true;
}

int main(int argc, char **argv)
{
	char *dirs[16];
	size_t ndirs = 0;
	int i = 1;
	for (; i + 1 < argc && strcmp(argv[i], "-L") == 0; i += 2) {
		if (ndirs == sizeof dirs / sizeof *dirs)
			return fail("prebind", "too many -L directories");
		dirs[ndirs++] = argv[i + 1];
	}
	if (argc - i < 3) {
		fprintf(stderr, "usage: prebind [-L DIR]... PROGRAM OUTDIR LIBRARY...\n");
		return 2;
	}
	const char *program = argv[i], *outdir = argv[i + 1];
	struct image prog;
	struct dyn_info pd;
	if (read_image(program, &prog) || parse(&prog, &pd))
		return 1;
	g_names = calloc(NAME_TABLE_SLOTS, sizeof *g_names);
	if (!g_names)
		return fail("prebind", "out of memory (the table of names)");
	if (note_definitions(&pd))
		return 1;
	g_all = calloc(NAME_TABLE_SLOTS, sizeof *g_all);
	g_all_objects = calloc(NAME_TABLE_SLOTS, sizeof *g_all_objects);
	if (!g_all || !g_all_objects)
		return fail("prebind", "out of memory (the table of names)");
	g_closure_read = read_closure(&pd, dirs, ndirs);
	size_t last = 0;
	for (int k = i + 2; k < argc; k++) {
		size_t n = 0;
		while (n < pd.needed_count && strcmp(argv[k], pd.needed[n]) != 0)
			n++;
		if (n == pd.needed_count) {
			fprintf(stderr, "prebind: %s does not name %s as a needed library\n", program, argv[k]);
			return 1;
		}
		last = n > last ? n : last;
	}
	/* The program's needed libraries in its order: each is searched right after those before
	 * it, so a name an earlier one defines stays unbound in a later one. */
	for (size_t n = 0; n <= last; n++) {
		bool wanted = false;
		for (int k = i + 2; k < argc; k++)
			wanted |= strcmp(argv[k], pd.needed[n]) == 0;
		struct image lib;
		struct dyn_info ld;
		if (find_image(pd.needed[n], dirs, ndirs, &lib) || parse(&lib, &ld))
			return 1;
		if (wanted) {
			char *out;
			if (asprintf(&out, "%s/%s", outdir, pd.needed[n]) < 0)
				return fail(outdir, "out of memory");
			if (bind_library(&lib, &ld, out))
				return 1;
			free(out);
		}
		/* Binding rewrote relocations only: the symbol table read here is the original's.
		 * The image stays allocated: the name table points into its strings. */
		if (note_definitions(&ld))
			return 1;
	}
	return 0;
}
