/* The program's memory areas (VMAs): what mmap, munmap, mprotect, brk and madvise change,
 * and what the page-fault handler consults. Pages are allocated only when first touched
 * (demand-zero, or copied from the file for file mappings), so a PROT_NONE reservation
 * costs no physical memory. Every present page in the lower half belongs to the program.
 * A page made PROT_NONE keeps its contents ("parked": unmapped, frame remembered) until
 * it is made accessible again or unmapped, as on Linux.
 *
 * Locking: the caller holds mm->lock, for reading around vma_find, vma_check,
 * vma_overlaps, vma_find_free and vma_fault (page faults of different threads run side by
 * side), for writing around the calls that change areas (vma_map, vma_unmap, vma_protect,
 * vma_discard). vma_format_maps takes it itself. */
#ifndef RTJS_LINUX_VMA_H
#define RTJS_LINUX_VMA_H

#include <stddef.h>
#include <stdint.h>

#include "cpu/rwlock.h"
#include "mm/pmm.h" /* PAGE_SIZE */

#define PAGE_MASK (~(PAGE_SIZE - 1))

/* Linux's PROT_* and MAP_* values (include/uapi/asm-generic/mman-common.h). */
#define PROT_NONE 0x0
#define PROT_READ 0x1
#define PROT_WRITE 0x2
#define PROT_EXEC 0x4

/* The lower half's layout. Programs and their heap sit low (PIE base as on Linux), mmap
 * areas are found top-down below the stack. */
#define USER_LIMIT 0x0000800000000000ull   /* end of the canonical lower half */
#define STACK_TOP 0x00007ffffffff000ull
#define STACK_SIZE (8ull << 20)             /* RLIMIT_STACK reported to the program */
#define MMAP_TOP (STACK_TOP - STACK_SIZE - (1ull << 30))
#define MMAP_BOTTOM 0x0000000100000000ull   /* keep clear of the program and its heap */
#define PIE_BASE 0x0000555555554000ull

struct addr_space;
struct node;

struct parked_page {
	struct parked_page *next;
	uint64_t va;
	uint64_t pa;
};

struct vma {
	struct vma *next; /* sorted by address */
	uint64_t start, end;
	unsigned prot;
	const struct node *file; /* NULL: anonymous */
	uint64_t file_off;       /* file offset of `start` */
	uint64_t file_end;       /* file bytes at or past this offset read as zero */
	const char *label;       /* "[stack]", "[heap]" or NULL */
	int touched;             /* a page was ever made present: page walks are needed */
	struct parked_page *parked;
};

struct mm {
	struct rwlock lock;       /* the areas, brk, and which pages are present */
	struct rwlock fault_lock; /* faults under a read lock: installing a page, unparking */
	struct addr_space *as;
	struct vma *head;
	uint64_t brk_start, brk;
};

extern struct mm *current_mm;

int mm_init(struct mm *mm);
/* Maps [start, start+len) (page aligned) replacing whatever was there. */
int vma_map(struct mm *mm, uint64_t start, uint64_t len, unsigned prot,
	    const struct node *file, uint64_t file_off, uint64_t file_end, const char *label);
int vma_unmap(struct mm *mm, uint64_t start, uint64_t len);
int vma_protect(struct mm *mm, uint64_t start, uint64_t len, unsigned prot);
/* Drops the pages of anonymous or private areas: they read as zero (or the file) again. */
int vma_discard(struct mm *mm, uint64_t start, uint64_t len);
/* A free range of len bytes: at hint if it is free, else the highest gap below MMAP_TOP.
 * 0 when there is none. */
uint64_t vma_find_free(struct mm *mm, uint64_t len, uint64_t hint);
/* Makes the page at addr present for an access (write: 1 for a write, exec: 1 for an
 * instruction fetch). 0, or -EFAULT if no area allows it. */
int vma_fault(struct mm *mm, uint64_t addr, int write, int exec);
/* 1 if every byte of [addr, addr+len) lies in areas allowing the access. */
int vma_check(struct mm *mm, uint64_t addr, uint64_t len, int write);
struct vma *vma_find(struct mm *mm, uint64_t addr);
/* 1 if any area intersects [start, start+len). */
int vma_overlaps(struct mm *mm, uint64_t start, uint64_t len);
/* /proc/self/maps of the current program. */
size_t vma_format_maps(char *buf, size_t cap);

#endif
