/* Loading ELF64 programs (System V gABI, x86_64 psABI): the program and its interpreter
 * (ld.so) become memory areas backed by their files in the initrd; nothing is copied until
 * a page is touched. PT_TLS and relocations are left to ld.so. */
#ifndef RTJS_LINUX_ELF_H
#define RTJS_LINUX_ELF_H

#include <stdint.h>

#include "linux/fs.h"
#include "linux/vma.h"

#define ELF_INTERP_MAX 256

struct elf_image {
	uint64_t bias;    /* load address - link address (0 for ET_EXEC) */
	uint64_t entry;
	uint64_t phdr;    /* where the program headers are in memory (AT_PHDR) */
	uint16_t phnum, phent;
	uint64_t end;     /* first address past the highest segment (page aligned) */
	char interp[ELF_INTERP_MAX]; /* PT_INTERP, or "" */
};

/* Validates the file as an x86_64 ELF64 executable or shared object: headers and segments
 * inside the file, PT_LOAD segments inside the lower half; 0 or -ENOEXEC with a log line
 * saying what is wrong. elf_load() maps only what this accepts. */
int elf_check(const struct node *file);
/* Maps the file's PT_LOAD segments. A position-independent file is placed at `base`, or
 * wherever the mmap area has room when base is 0. */
int elf_load(struct mm *mm, const struct node *file, uint64_t base, struct elf_image *out);
/* The link-time address of a file offset inside one of the file's PT_LOAD segments; the
 * offset itself when the file is not ELF or no segment holds it. */
uint64_t elf_offset_to_vaddr(const struct node *file, uint64_t offset);
/* The name of the function containing `addr` inside the loaded file (its .symtab, else its
 * .dynsym), or NULL; *offset gets addr - symbol. Any file may be asked (a fault report asks
 * about whatever file is mapped there): a name is returned only if it is NUL-terminated
 * inside its string table, which lies inside the file. */
const char *elf_symbol(const struct node *file, uint64_t bias, uint64_t addr, uint64_t *offset);

#endif
