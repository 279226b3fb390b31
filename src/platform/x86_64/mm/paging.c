/* Kernel page tables, address spaces and the kernel mapping window. */
#include <errno.h>
#include <string.h>
#include "boot/bootinfo.h"
#include "boot/layout.h"
#include "cpu/cpu.h"
#include "cpu/features.h"
#include "cpu/percpu.h"
#include "cpu/spinlock.h"
#include "lib/log.h"
#include "mm/heap.h"
#include "mm/paging.h"
#include "mm/pt.h"

#define PML4_KERNEL_FIRST 256
#define TWO_MB (1ull << 21)
#define LEGACY_VIDEO_START 0xa0000 /* VGA memory and option ROMs: uncached */
#define LEGACY_VIDEO_END 0x100000

struct addr_space {
	phys_addr_t root;
	spinlock_t lock;
};

static struct addr_space kernel_as;
static struct addr_space *current_as[PERCPU_MAX_CPUS];
static phys_addr_t direct_end;
static uint64_t window_next = KERNEL_WINDOW_BASE;
static spinlock_t window_lock = SPINLOCK_INIT(WINDOW, "device window");
static int paging_ready;

static uint64_t *env_table(void *ctx, uint64_t pa)
{
	(void)ctx;
	return phys_to_virt(pa);
}
static uint64_t env_alloc(void *ctx)
{
	(void)ctx;
	return pmm_alloc_zeroed_page();
}
static void env_free(void *ctx, uint64_t pa)
{
	(void)ctx;
	pmm_free_page(pa);
}
static const struct pt_env env = { env_table, env_alloc, env_free, NULL };

static uint64_t vm_to_pte(unsigned flags)
{
	uint64_t pte = PTE_P;
	if (flags & VM_WRITE)
		pte |= PTE_W;
	if (!(flags & VM_EXEC) && cpu_features()->nx)
		pte |= PTE_NX;
	if (flags & VM_USER)
		pte |= PTE_U;
	if (flags & VM_UNCACHED)
		pte |= PTE_PCD | PTE_PWT;
	if ((flags & VM_GLOBAL) && cpu_features()->pge)
		pte |= PTE_G;
	return pte;
}

static unsigned pte_to_vm(uint64_t pte)
{
	unsigned f = VM_READ;
	if (pte & PTE_W)
		f |= VM_WRITE;
	if (!(pte & PTE_NX))
		f |= VM_EXEC;
	if (pte & PTE_U)
		f |= VM_USER;
	if (pte & PTE_PCD)
		f |= VM_UNCACHED;
	if (pte & PTE_G)
		f |= VM_GLOBAL;
	return f;
}

phys_addr_t virt_to_phys(const void *va)
{
	uint64_t a = (uint64_t)va;
	if (a >= KERNEL_VMA)
		return a - KERNEL_VMA;
	return a - DIRECT_MAP_BASE;
}

void tlb_flush_page(uint64_t va) { invlpg(va); }
void tlb_flush_all(void) { write_cr3(read_cr3()); }

static void flush_if_current(struct addr_space *as, uint64_t va)
{
	if (va >= USER_TOP || as_current() == as)
		invlpg(va);
}

int vm_map_page(struct addr_space *as, uint64_t va, phys_addr_t pa, unsigned flags)
{
	if ((va | pa) & (PAGE_SIZE - 1))
		return -EINVAL;
	uint64_t f = spin_lock(&as->lock);
	int r = pt_map(&env, as->root, va, pa, vm_to_pte(flags));
	spin_unlock(&as->lock, f);
	if (r == 0)
		flush_if_current(as, va);
	return r;
}

int vm_map_new_page(struct addr_space *as, uint64_t va, phys_addr_t pa, unsigned flags)
{
	if ((va | pa) & (PAGE_SIZE - 1))
		return -EINVAL;
	uint64_t pte, size;
	uint64_t f = spin_lock(&as->lock);
	int r = pt_lookup(&env, as->root, va, &pte, &size) == 0 ? -EEXIST :
									 pt_map(&env, as->root, va, pa, vm_to_pte(flags));
	spin_unlock(&as->lock, f);
	if (r == 0)
		flush_if_current(as, va);
	return r;
}

int vm_unmap_page(struct addr_space *as, uint64_t va, phys_addr_t *old_pa)
{
	uint64_t old = 0;
	uint64_t f = spin_lock(&as->lock);
	int r = pt_unmap(&env, as->root, va & ~(PAGE_SIZE - 1), &old);
	spin_unlock(&as->lock, f);
	if (r == 0) {
		flush_if_current(as, va);
		if (old_pa)
			*old_pa = old & PTE_ADDR;
	}
	return r;
}

int vm_protect_page(struct addr_space *as, uint64_t va, unsigned flags)
{
	uint64_t f = spin_lock(&as->lock);
	int r = pt_set_flags(&env, as->root, va & ~(PAGE_SIZE - 1), vm_to_pte(flags));
	spin_unlock(&as->lock, f);
	if (r == 0)
		flush_if_current(as, va);
	return r;
}

int vm_query(struct addr_space *as, uint64_t va, phys_addr_t *pa, unsigned *flags)
{
	uint64_t pte, size;
	uint64_t f = spin_lock(&as->lock);
	int r = pt_lookup(&env, as->root, va, &pte, &size);
	spin_unlock(&as->lock, f);
	if (r)
		return r;
	if (pa)
		*pa = (pte & (size == PAGE_SIZE ? PTE_ADDR : PTE_ADDR_2M)) + (va & (size - 1));
	if (flags)
		*flags = pte_to_vm(pte);
	return 0;
}

int vm_is_mapped(uint64_t va)
{
	uint64_t pte, size;
	/* Works before paging_init too: the boot tables live in the boot direct map. */
	return pt_lookup(&env, read_cr3() & PTE_ADDR, va, &pte, &size) == 0;
}

struct addr_space *as_kernel(void) { return &kernel_as; }
phys_addr_t as_root(const struct addr_space *as) { return as->root; }

struct addr_space *as_current(void)
{
	struct addr_space *as = current_as[this_cpu()->cpu_index];
	return as ? as : &kernel_as;
}

void as_switch(struct addr_space *as)
{
	unsigned cpu = this_cpu()->cpu_index;
	if (current_as[cpu] == as)
		return;
	current_as[cpu] = as;
	write_cr3(as->root);
}

struct addr_space *as_create(void)
{
	struct addr_space *as = kzalloc(sizeof *as);
	if (!as)
		return NULL;
	as->lock = (spinlock_t)SPINLOCK_INIT(PAGING, "page tables");
	as->root = pmm_alloc_zeroed_page();
	if (!as->root) {
		kfree(as);
		return NULL;
	}
	uint64_t *dst = phys_to_virt(as->root), *src = phys_to_virt(kernel_as.root);
	memcpy(dst + PML4_KERNEL_FIRST, src + PML4_KERNEL_FIRST, 256 * sizeof(uint64_t));
	return as;
}

void as_destroy(struct addr_space *as)
{
	if (!as || as == &kernel_as)
		return;
	pt_free_tables(&env, as->root, 0, PML4_KERNEL_FIRST - 1);
	pmm_free_page(as->root);
	kfree(as);
}

static uint64_t window_reserve(size_t bytes)
{
	uint64_t f = spin_lock(&window_lock);
	uint64_t va = window_next;
	window_next += bytes;
	spin_unlock(&window_lock, f);
	return va;
}

static void *window_map(phys_addr_t pa, size_t len, unsigned flags)
{
	phys_addr_t first = PAGE_ALIGN_DOWN(pa);
	size_t span = PAGE_ALIGN_UP(pa + len) - first;
	uint64_t va = window_reserve(span + PAGE_SIZE); /* an unmapped guard page after it */
	for (size_t off = 0; off < span; off += PAGE_SIZE)
		if (vm_map_page(&kernel_as, va + off, first + off, flags | VM_GLOBAL))
			return NULL;
	return (void *)(va + (pa - first));
}

uint64_t vm_alloc_stack(size_t pages)
{
	uint64_t base = window_reserve((pages + 1) * PAGE_SIZE) + PAGE_SIZE; /* guard page first */
	for (size_t i = 0; i < pages; i++) {
		phys_addr_t pa = pmm_alloc_page();
		if (!pa || vm_map_page(&kernel_as, base + i * PAGE_SIZE, pa, VM_READ | VM_WRITE | VM_GLOBAL)) {
			if (pa)
				pmm_free_page(pa);
			vm_free_stack(base + i * PAGE_SIZE, i);
			return 0;
		}
	}
	return base + pages * PAGE_SIZE;
}

void vm_free_stack(uint64_t top, size_t pages)
{
	for (size_t i = 1; i <= pages; i++) {
		phys_addr_t pa;
		if (vm_unmap_page(&kernel_as, top - i * PAGE_SIZE, &pa) == 0)
			pmm_free_page(pa);
	}
}

void *vm_map_phys(phys_addr_t pa, size_t len, unsigned flags)
{
	if (!paging_ready || len == 0)
		return NULL;
	return window_map(pa, len, flags & ~VM_USER);
}

void *vm_map_device(phys_addr_t pa, size_t len)
{
	return vm_map_phys(pa, len, VM_READ | VM_WRITE | VM_UNCACHED);
}

const void *vm_peek_phys(phys_addr_t pa, size_t len)
{
	if (len == 0 || pa + len < pa)
		return NULL;
	int direct = 1;
	for (uint64_t p = PAGE_ALIGN_DOWN(pa); p < pa + len; p += PAGE_SIZE)
		if (!vm_is_mapped((uint64_t)phys_to_virt(p))) {
			direct = 0;
			break;
		}
	if (direct)
		return phys_to_virt(pa);
	return vm_map_phys(pa, len, VM_READ);
}

phys_addr_t paging_direct_map_end(void)
{
	return direct_end;
}

static void map_or_die(uint64_t va, phys_addr_t pa, unsigned flags)
{
	int r = pt_map(&env, kernel_as.root, va, pa, vm_to_pte(flags));
	if (r)
		panic("paging: cannot map %lx -> %lx (error %d)", va, pa, r);
}

/* Page 0 stays unmapped; the legacy video/ROM hole is uncached. */
static void map_first_2mb(void)
{
	for (phys_addr_t pa = PAGE_SIZE; pa < TWO_MB; pa += PAGE_SIZE) {
		unsigned fl = VM_READ | VM_WRITE | VM_GLOBAL;
		if (pa >= LEGACY_VIDEO_START && pa < LEGACY_VIDEO_END)
			fl |= VM_UNCACHED;
		map_or_die((uint64_t)phys_to_virt(pa), pa, fl);
	}
}

static int is_ram(uint32_t type)
{
	return type == BOOT_MEM_USABLE || type == BOOT_MEM_ACPI_RECLAIM || type == BOOT_MEM_ACPI_NVS;
}

/* Every 2 MiB chunk that holds RAM (usable or ACPI) is mapped with one large page. */
static void map_direct(const struct boot_info *bi)
{
	map_first_2mb();
	direct_end = TWO_MB;
	for (unsigned i = 0; i < bi->mmap_count; i++) {
		const struct boot_mmap_entry *e = &bi->mmap[i];
		if (!is_ram(e->type))
			continue;
		uint64_t start = e->base & ~(TWO_MB - 1), end = (e->base + e->len + TWO_MB - 1) & ~(TWO_MB - 1);
		if (start < TWO_MB)
			start = TWO_MB;
		for (uint64_t pa = start; pa < end; pa += TWO_MB) {
			int r = pt_map_2m(&env, kernel_as.root, (uint64_t)phys_to_virt(pa), pa,
					  vm_to_pte(VM_READ | VM_WRITE | VM_GLOBAL));
			if (r && r != -EEXIST)
				panic("paging: direct map of %lx failed (%d)", pa, r);
		}
		if (end > direct_end)
			direct_end = end;
	}
}

/* Text read+execute, rodata read-only, data and bss read+write, all NX but text. */
static void map_kernel_image(void)
{
	for (uint64_t va = (uint64_t)__kernel_text_start; va < (uint64_t)__kernel_end; va += PAGE_SIZE) {
		unsigned fl = VM_READ | VM_GLOBAL;
		if (va < (uint64_t)__kernel_rodata_start)
			fl |= VM_EXEC;
		else if (va >= (uint64_t)__kernel_data_start)
			fl |= VM_WRITE;
		map_or_die(va, va - KERNEL_VMA, fl);
	}
}

/* Upper-half PDPTs exist from the start so that every address space shares them. */
static void populate_kernel_half(void)
{
	uint64_t *pml4 = phys_to_virt(kernel_as.root);
	for (unsigned i = PML4_KERNEL_FIRST; i < 512; i++) {
		phys_addr_t t = pmm_alloc_zeroed_page();
		if (!t)
			panic("paging: out of memory for kernel page tables");
		pml4[i] = t | PTE_P | PTE_W;
	}
}

void paging_init(const struct boot_info *bi)
{
	kernel_as.lock = (spinlock_t)SPINLOCK_INIT(PAGING, "kernel page tables");
	kernel_as.root = pmm_alloc_zeroed_page();
	if (!kernel_as.root)
		panic("paging: out of memory for the kernel PML4");
	populate_kernel_half();
	map_direct(bi);
	map_kernel_image();
	write_cr3(kernel_as.root);
	current_as[this_cpu()->cpu_index] = &kernel_as;
	paging_ready = 1;
	kprintf("paging: direct map of %lu MiB at %lx, kernel at %lx\n", direct_end >> 20,
		DIRECT_MAP_BASE, (uint64_t)__kernel_text_start);
}
