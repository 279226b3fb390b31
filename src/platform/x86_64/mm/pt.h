/* 4-level x86_64 page tables (Intel SDM vol. 3A, 4.5), pure: table pages are reached
 * through callbacks, so the host tests run this over a fake memory arena. */
#ifndef RTJS_PT_H
#define RTJS_PT_H
#include <stdint.h>

/* Page-table entry bits (SDM vol. 3A, tables 4-14 to 4-20). */
#define PTE_P (1ull << 0)   /* present */
#define PTE_W (1ull << 1)   /* writable */
#define PTE_U (1ull << 2)   /* user-accessible */
#define PTE_PWT (1ull << 3) /* write-through */
#define PTE_PCD (1ull << 4) /* cache disable */
#define PTE_A (1ull << 5)
#define PTE_D (1ull << 6)
#define PTE_PS (1ull << 7) /* 2 MiB page in a PD entry */
#define PTE_G (1ull << 8)  /* global */
#define PTE_NX (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull
#define PTE_ADDR_2M 0x000fffffffe00000ull

#define PT_INDEX(va, level) (((va) >> (12 + 9 * (level))) & 511) /* level 0 = PT, 3 = PML4 */

struct pt_env {
	/* Pointer to the 4 KiB table at physical pa. */
	uint64_t *(*table)(void *ctx, uint64_t pa);
	/* A zeroed 4 KiB page for a new table, or 0. */
	uint64_t (*alloc)(void *ctx);
	void (*free)(void *ctx, uint64_t pa);
	void *ctx;
};

/* Maps the 4 KiB page at va to pa with the given PTE bits (PTE_P added), replacing any
 * 4 KiB mapping there. Intermediate tables get P|W and U if `pte` has U (the leaf decides).
 * -ENOMEM if a table could not be allocated, -EEXIST if a 2 MiB page covers va. */
int pt_map(const struct pt_env *env, uint64_t root, uint64_t va, uint64_t pa, uint64_t pte);
/* Maps the 2 MiB page at va (2 MiB aligned) to pa; -EEXIST if a page table is there. */
int pt_map_2m(const struct pt_env *env, uint64_t root, uint64_t va, uint64_t pa, uint64_t pte);
/* Removes the 4 KiB mapping at va, storing the old entry in *old (may be NULL);
 * -ENOENT if nothing was mapped, -EEXIST if a 2 MiB page covers va. */
int pt_unmap(const struct pt_env *env, uint64_t root, uint64_t va, uint64_t *old);
/* The leaf entry for va: its entry in *pte and its size (4096 or 2 MiB) in *size;
 * -ENOENT when unmapped. */
int pt_lookup(const struct pt_env *env, uint64_t root, uint64_t va, uint64_t *pte, uint64_t *size);
/* Replaces the flag bits of the 4 KiB mapping at va, keeping its address. */
int pt_set_flags(const struct pt_env *env, uint64_t root, uint64_t va, uint64_t flags);
/* Frees every table page reachable from PML4 slots [first, last] (not the mapped pages,
 * not the root), clearing those slots. */
void pt_free_tables(const struct pt_env *env, uint64_t root, unsigned first, unsigned last);

#endif
