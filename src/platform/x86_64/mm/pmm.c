/* The kernel's page allocator: the pure bitmap allocator behind one lock. */
#include <string.h>
#include "boot/bootinfo.h"
#include "boot/layout.h"
#include "cpu/spinlock.h"
#include "lib/log.h"
#include "mm/paging.h"
#include "mm/pmm.h"

#define LOW_MEMORY_END 0x100000ull   /* BIOS data, EBDA, ROMs; also AP start-up code later */
#define BOOT_DIRECT_LIMIT (4ull << 30) /* boot page tables map the first 4 GiB */

static struct pmm_core core;
static spinlock_t lock = SPINLOCK_INIT(PMM, "pmm");
static size_t low_water; /* the fewest pages free at any time since boot */

static unsigned collect_reserved(const struct boot_info *bi, struct phys_range *r)
{
	unsigned n = 0;
	r[n++] = (struct phys_range){ 0, LOW_MEMORY_END };
	r[n++] = (struct phys_range){ (uint64_t)__kernel_phys_start, (uint64_t)__kernel_end - KERNEL_VMA };
	for (unsigned i = 0; i < bi->module_count; i++)
		r[n++] = (struct phys_range){ bi->modules[i].start, bi->modules[i].end };
	return n;
}

/* The bitmap goes into the first usable range below 4 GiB that holds it. */
static phys_addr_t place_bitmap(const struct phys_range *r, int n, size_t bytes)
{
	for (int i = 0; i < n; i++)
		if (r[i].end <= BOOT_DIRECT_LIMIT && r[i].end - r[i].start >= bytes)
			return r[i].start;
	return 0;
}

static void log_map(const struct boot_info *bi)
{
	for (unsigned i = 0; i < bi->mmap_count; i++)
		kprintf("mem: %016lx-%016lx type %u\n", bi->mmap[i].base, bi->mmap[i].base + bi->mmap[i].len - 1,
			bi->mmap[i].type);
}

void pmm_init(const struct boot_info *bi)
{
	static struct phys_range usable[MEMMAP_MAX_RANGES];
	struct phys_range reserved[2 + BOOT_MODULES_MAX];
	unsigned nres = collect_reserved(bi, reserved);
	int n = memmap_usable(bi->mmap, bi->mmap_count, reserved, nres, usable, MEMMAP_MAX_RANGES);
	if (n < 0)
		panic("pmm: memory map has too many fragments (more than %u)", MEMMAP_MAX_RANGES);
	if (n == 0)
		panic("pmm: no usable memory in the loader's memory map (%u entries)", bi->mmap_count);
	log_map(bi);
	uint64_t npages = usable[n - 1].end / PAGE_SIZE;
	size_t bytes = PAGE_ALIGN_UP(pmm_core_bitmap_bytes(npages));
	phys_addr_t bitmap = place_bitmap(usable, n, bytes);
	if (!bitmap)
		panic("pmm: no room below 4 GiB for a %zu-byte page bitmap", bytes);
	pmm_core_init(&core, phys_to_virt(bitmap), npages, usable, (unsigned)n);
	pmm_core_reserve(&core, bitmap, bitmap + bytes);
	low_water = core.free;
	kprintf("pmm: %lu MiB free in %d ranges, up to %lx\n", core.free * PAGE_SIZE >> 20, n,
		npages * PAGE_SIZE);
}

phys_addr_t pmm_alloc_page(void)
{
	uint64_t f = spin_lock(&lock);
	phys_addr_t pa = pmm_core_alloc(&core);
	if (core.free < low_water)
		low_water = core.free;
	spin_unlock(&lock, f);
	return pa;
}

phys_addr_t pmm_alloc_zeroed_page(void)
{
	phys_addr_t pa = pmm_alloc_page();
	if (pa)
		memset(phys_to_virt(pa), 0, PAGE_SIZE);
	return pa;
}

phys_addr_t pmm_alloc_contig(size_t npages, size_t align_pages, phys_addr_t max_phys)
{
	uint64_t f = spin_lock(&lock);
	phys_addr_t pa = pmm_core_alloc_contig(&core, npages, align_pages, max_phys);
	if (core.free < low_water)
		low_water = core.free;
	spin_unlock(&lock, f);
	return pa;
}

void pmm_free_contig(phys_addr_t pa, size_t npages)
{
	uint64_t f = spin_lock(&lock);
	int r = pmm_core_free(&core, pa, npages);
	spin_unlock(&lock, f);
	if (r)
		panic("pmm: freeing %zu page(s) at %lx that are not allocated", npages, pa);
}

void pmm_free_page(phys_addr_t pa)
{
	pmm_free_contig(pa, 1);
}

size_t pmm_free_count(void)
{
	return core.free;
}

size_t pmm_total_count(void)
{
	return core.total;
}

size_t pmm_low_count(void)
{
	return low_water;
}
