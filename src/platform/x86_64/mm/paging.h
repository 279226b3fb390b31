/* Virtual memory: the kernel's direct map of RAM, address spaces, and 4 KiB mappings.
 *
 * Layout (48-bit canonical addresses):
 *   0x0000000000000000 - 0x00007fffffffffff  lower half: the hosted program's, per address space
 *   0xffff800000000000 + pa                   direct map of all RAM (DIRECT_MAP_BASE)
 *   0xffffc00000000000 ...                    kernel mapping window (vm_map_phys/vm_map_device)
 *   0xffffffff80000000 + pa                   the kernel image (linked with -mcmodel=kernel)
 * The upper half (PML4 slots 256-511) is the same in every address space; all its page
 * tables exist from boot, so a mapping made there is visible everywhere at once.
 * Physical page 0 is never mapped (NULL dereferences fault).
 *
 * Functions taking an address space may be called from any CPU with interrupts on or off;
 * each address space has its own lock. The TLB is flushed on the calling CPU only
 * (when `as` is its current one); other CPUs are the caller's business. */
#ifndef RTJS_PAGING_H
#define RTJS_PAGING_H
#include <stddef.h>
#include <stdint.h>
#include "mm/pmm.h"
#include "rtjs-syscall.h"

#define DIRECT_MAP_BASE RTJS_DIRECT_MAP_BASE /* the program knows it too */
#define KERNEL_WINDOW_BASE UINT64_C(0xffffc00000000000)
#define KERNEL_VMA UINT64_C(0xffffffff80000000)
#define USER_TOP UINT64_C(0x0000800000000000) /* first address above the lower half */

/* Mapping flags, independent of the PTE layout. No VM_WRITE: read-only (CR0.WP makes
 * ring 0 honour it). No VM_EXEC: the page is NX. */
#define VM_READ (1u << 0)
#define VM_WRITE (1u << 1)
#define VM_EXEC (1u << 2)
#define VM_USER (1u << 3)     /* U/S bit: the program runs in ring 0, so normally unset */
#define VM_UNCACHED (1u << 4) /* PCD|PWT: device registers */
#define VM_GLOBAL (1u << 5)   /* survives CR3 switches (kernel half only) */

static inline void *phys_to_virt(phys_addr_t pa) { return (void *)(uintptr_t)(pa + DIRECT_MAP_BASE); }
/* For direct-map and kernel-image addresses only. */
phys_addr_t virt_to_phys(const void *va);

struct addr_space;

/* A new address space: empty lower half, the shared kernel upper half. NULL on ENOMEM. */
struct addr_space *as_create(void);
/* Frees the page tables of the lower half (not the pages mapped there: the caller owns
 * those) and the address space. Must not be current on any CPU. */
void as_destroy(struct addr_space *as);
/* Loads as into CR3 on this CPU (no-op if already current). */
void as_switch(struct addr_space *as);
struct addr_space *as_current(void);
/* The kernel's own address space (boot CPU's at boot; empty lower half). */
struct addr_space *as_kernel(void);
/* Physical address of the PML4 (the CR3 value). */
phys_addr_t as_root(const struct addr_space *as);

/* Map the 4 KiB page at va (page aligned) to pa with VM_* flags, replacing any mapping
 * there. -EINVAL unaligned, -ENOMEM when a page table could not be allocated. */
int vm_map_page(struct addr_space *as, uint64_t va, phys_addr_t pa, unsigned flags);
/* vm_map_page unless something is mapped at va already: then -EEXIST (two CPUs faulting
 * on one page: the second keeps the first's page). */
int vm_map_new_page(struct addr_space *as, uint64_t va, phys_addr_t pa, unsigned flags);
/* Remove the mapping at va; the page it mapped goes to *old_pa (may be NULL).
 * -ENOENT when nothing was mapped there. */
int vm_unmap_page(struct addr_space *as, uint64_t va, phys_addr_t *old_pa);
/* Change the VM_* flags of the mapping at va; -ENOENT when unmapped. There is no
 * present-but-inaccessible state: PROT_NONE is vm_unmap_page. */
int vm_protect_page(struct addr_space *as, uint64_t va, unsigned flags);
/* What is mapped at va (any page size): physical address of va itself and VM_* flags.
 * -ENOENT when unmapped. Either pointer may be NULL. */
int vm_query(struct addr_space *as, uint64_t va, phys_addr_t *pa, unsigned *flags);

/* Kernel mappings of physical ranges in the kernel window, any alignment; returns the
 * address corresponding to pa, or NULL. vm_map_device is uncached (MMIO registers). RAM
 * is better read through phys_to_virt. Mappings are permanent. */
void *vm_map_phys(phys_addr_t pa, size_t len, unsigned flags);
void *vm_map_device(phys_addr_t pa, size_t len);
/* A pointer to [pa, pa+len) for reading: the direct map if it covers the range, else a
 * new read-only window mapping. NULL if it cannot be mapped. */
const void *vm_peek_phys(phys_addr_t pa, size_t len);

/* A kernel stack of `pages` pages in the kernel window with an unmapped guard page below
 * it (an overflow faults instead of corrupting memory). Returns the stack top (16-byte
 * aligned) or 0 on ENOMEM. */
uint64_t vm_alloc_stack(size_t pages);
/* Frees a stack from vm_alloc_stack (top and pages as given/returned). */
void vm_free_stack(uint64_t top, size_t pages);

/* 1 if va is mapped in the current address space (readable). */
int vm_is_mapped(uint64_t va);

void tlb_flush_page(uint64_t va); /* this CPU only */
void tlb_flush_all(void);         /* this CPU only, non-global entries */
/* Flushes [va, va + pages pages) on every CPU that may cache it (all CPUs for upper-half
 * addresses, else those whose current address space is `as`), this one included, and
 * returns when all have done so (mm/tlb.c). Call after changing the page tables, with
 * interrupts enabled and no spinlock held: it waits for the other CPUs. */
void tlb_shootdown(struct addr_space *as, uint64_t va, size_t pages);

/* Kernel: builds the kernel page tables (direct map, image, window) and switches to
 * them. Called once by kmain after pmm_init. */
struct boot_info;
void paging_init(const struct boot_info *bi);
/* Kernel: installs the TLB shootdown IPI handler (before other CPUs start). */
void tlb_init(void);
/* Highest RAM address + 1 that the direct map covers. */
phys_addr_t paging_direct_map_end(void);

#endif
