/* Physical page allocator: one bit per 4 KiB page of RAM (1 = in use).
 * Pages of the kernel image, boot modules (initrd), ACPI tables, reserved and bad memory,
 * and the first 1 MiB are never handed out; physical address 0 is therefore never a valid
 * page and doubles as the failure value. All functions may be called from any CPU,
 * with interrupts on or off. Pages are returned uninitialised unless said otherwise. */
#ifndef RTJS_PMM_H
#define RTJS_PMM_H
#include <stddef.h>
#include <stdint.h>
#include "mm/memmap.h"

#define PAGE_SIZE UINT64_C(4096)
#define PAGE_SHIFT 12
#define PAGE_ALIGN_UP(x) (((x) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))
#define PAGE_ALIGN_DOWN(x) ((x) & ~(PAGE_SIZE - 1))

typedef uint64_t phys_addr_t;

/* One page; 0 when memory is exhausted. */
phys_addr_t pmm_alloc_page(void);
/* One page filled with zeros; 0 when memory is exhausted. */
phys_addr_t pmm_alloc_zeroed_page(void);
/* npages contiguous pages whose first address is a multiple of align_pages pages and
 * whose last byte lies below max_phys (0: no limit) - for DMA. 0 on failure. */
phys_addr_t pmm_alloc_contig(size_t npages, size_t align_pages, phys_addr_t max_phys);
/* Give pages back; freeing a page that is not allocated is a kernel bug (panics). */
void pmm_free_page(phys_addr_t pa);
void pmm_free_contig(phys_addr_t pa, size_t npages);

size_t pmm_free_count(void);  /* pages free now */
size_t pmm_total_count(void); /* pages the allocator manages (free at boot) */
size_t pmm_low_count(void);   /* the fewest pages free at any time since boot */

/* ---- the pure allocator underneath (host-testable) ---------------------------------- */
struct pmm_core {
	uint64_t *bits;    /* npages bits; 1 = in use */
	uint64_t *managed; /* npages bits; 1 = RAM this allocator may hand out (else reserved) */
	uint64_t npages; /* pages 0..npages-1 are tracked */
	uint64_t free;
	uint64_t total;
	uint64_t hint; /* next-fit start, in words */
};

/* Marks everything used, then frees the given ranges (clipped to npages). `bits` holds
 * pmm_core_bitmap_bytes(npages) bytes (both bitmaps). */
void pmm_core_init(struct pmm_core *p, uint64_t *bits, uint64_t npages, const struct phys_range *usable,
		   unsigned n);
/* Marks [start, end) used for good (never freeable); returns how many were free before. */
uint64_t pmm_core_reserve(struct pmm_core *p, uint64_t start, uint64_t end);
phys_addr_t pmm_core_alloc(struct pmm_core *p);
phys_addr_t pmm_core_alloc_contig(struct pmm_core *p, size_t npages, size_t align_pages, phys_addr_t max_phys);
/* Returns 0, or -EINVAL if a page was not allocated or is reserved (nothing changes then). */
int pmm_core_free(struct pmm_core *p, phys_addr_t pa, size_t npages);
size_t pmm_core_bitmap_bytes(uint64_t npages);

/* Kernel: builds the allocator from the boot memory map (called once by kmain). */
struct boot_info;
void pmm_init(const struct boot_info *bi);

#endif
