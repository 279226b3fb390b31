#include "linux/vma.h"

#include <errno.h>
#include <string.h>

#include "lib/format.h"
#include "lib/log.h"
#include "linux/fs.h"
#include "mm/heap.h"
#include "mm/paging.h"
#include "mm/pmm.h"

struct mm *current_mm;

int mm_init(struct mm *mm)
{
	memset(mm, 0, sizeof(*mm));
	mm->lock = (struct rwlock)RWLOCK_INIT(MM, "memory areas");
	mm->fault_lock = (struct rwlock)RWLOCK_INIT(MM_FAULT, "page installs");
	mm->as = as_create();
	return mm->as ? 0 : -ENOMEM;
}

static unsigned pte_flags(unsigned prot)
{
	unsigned f = VM_READ;
	if (prot & PROT_WRITE)
		f |= VM_WRITE;
	if (prot & PROT_EXEC)
		f |= VM_EXEC;
	return f;
}

struct vma *vma_find(struct mm *mm, uint64_t addr)
{
	for (struct vma *v = mm->head; v && v->start <= addr; v = v->next)
		if (addr < v->end)
			return v;
	return NULL;
}

/* Splits v at `at` (v->start < at < v->end); returns the upper part. */
static struct vma *split(struct vma *v, uint64_t at)
{
	struct vma *u = kmalloc(sizeof(*u));
	if (!u)
		return NULL;
	*u = *v;
	u->start = at;
	u->file_off = v->file_off + (at - v->start);
	u->parked = NULL;
	v->end = at;
	v->next = u;
	struct parked_page **pp = &v->parked;
	while (*pp) {
		struct parked_page *p = *pp;
		if (p->va >= at) {
			*pp = p->next;
			p->next = u->parked;
			u->parked = p;
		} else {
			pp = &p->next;
		}
	}
	return u;
}

/* Makes area boundaries fall exactly at start and end; -ENOMEM if a split failed. */
static int carve(struct mm *mm, uint64_t start, uint64_t end)
{
	for (struct vma *v = mm->head; v; v = v->next) {
		if (v->start < start && start < v->end && !split(v, start))
			return -ENOMEM;
		if (v->start < end && end < v->end && !split(v, end))
			return -ENOMEM;
	}
	return 0;
}

static void free_parked(struct vma *v)
{
	while (v->parked) {
		struct parked_page *p = v->parked;
		v->parked = p->next;
		pmm_free_page(p->pa);
		kfree(p);
	}
}

#define DROP_BATCH 64 /* frames held back per shootdown: 512 bytes of the syscall stack */

/* Drops the pages of [start, end) inside v. A frame goes back to the allocator only once
 * no CPU can still reach it through a stale TLB entry (Intel SDM vol. 3A, 4.10.4.1: the
 * other processors keep it until told): another thread of the program writing there would
 * write into memory already reused elsewhere. */
static void drop_pages(struct mm *mm, uint64_t start, uint64_t end)
{
	phys_addr_t frames[DROP_BATCH];
	size_t n = 0;
	uint64_t from = start;
	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		phys_addr_t pa;
		if (vm_unmap_page(mm->as, va, &pa) == 0)
			frames[n++] = pa;
		if (n == DROP_BATCH || (n && va + PAGE_SIZE == end)) {
			tlb_shootdown(mm->as, from, (va + PAGE_SIZE - from) / PAGE_SIZE);
			while (n)
				pmm_free_page(frames[--n]);
			from = va + PAGE_SIZE;
		}
	}
}

int vma_unmap(struct mm *mm, uint64_t start, uint64_t len)
{
	uint64_t end = start + len;
	int rc = carve(mm, start, end);
	if (rc < 0)
		return rc;
	struct vma **pv = &mm->head;
	while (*pv) {
		struct vma *v = *pv;
		if (v->start >= start && v->end <= end) {
			if (v->touched)
				drop_pages(mm, v->start, v->end);
			free_parked(v);
			*pv = v->next;
			kfree(v);
		} else {
			pv = &v->next;
		}
	}
	return 0;
}

int vma_map(struct mm *mm, uint64_t start, uint64_t len, unsigned prot,
	    const struct node *file, uint64_t file_off, uint64_t file_end, const char *label)
{
	if ((start | len) & ~PAGE_MASK || len == 0 || start + len > USER_LIMIT || start + len < start)
		return -EINVAL;
	int rc = vma_unmap(mm, start, len);
	if (rc < 0)
		return rc;
	struct vma *v = kzalloc(sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->start = start;
	v->end = start + len;
	v->prot = prot;
	v->file = file;
	v->file_off = file_off;
	v->file_end = file_end;
	v->label = label;
	struct vma **pv = &mm->head;
	while (*pv && (*pv)->start < start)
		pv = &(*pv)->next;
	v->next = *pv;
	*pv = v;
	return 0;
}

/* Parks a present page: unmapped, its frame kept for when access returns. */
static int park(struct mm *mm, struct vma *v, uint64_t va)
{
	phys_addr_t pa;
	if (vm_query(mm->as, va, &pa, NULL) < 0)
		return 0;
	struct parked_page *p = kmalloc(sizeof(*p));
	if (!p)
		return -ENOMEM;
	vm_unmap_page(mm->as, va, &pa);
	p->va = va;
	p->pa = pa;
	p->next = v->parked;
	v->parked = p;
	return 1;
}

int vma_protect(struct mm *mm, uint64_t start, uint64_t len, unsigned prot)
{
	uint64_t end = start + len;
	if (!vma_check(mm, start, len, -1))
		return -ENOMEM; /* Linux: part of the range is not mapped */
	int rc = carve(mm, start, end);
	if (rc < 0)
		return rc;
	int changed = 0;
	for (struct vma *v = mm->head; v && v->start < end; v = v->next) {
		if (v->end <= start)
			continue;
		v->prot = prot;
		for (uint64_t va = v->start; v->touched && va < v->end; va += PAGE_SIZE) {
			if (prot == PROT_NONE) {
				int p = park(mm, v, va);
				if (p < 0)
					return p;
				changed |= p;
			} else if (vm_protect_page(mm->as, va, pte_flags(prot)) == 0) {
				changed = 1;
			}
		}
	}
	if (changed)
		tlb_shootdown(mm->as, start, len / PAGE_SIZE);
	return 0;
}

/* Frees the parked (PROT_NONE) pages of v inside [s, e). */
static void free_parked_range(struct vma *v, uint64_t s, uint64_t e)
{
	struct parked_page **pp = &v->parked;
	while (*pp) {
		struct parked_page *p = *pp;
		if (p->va >= s && p->va < e) {
			*pp = p->next;
			pmm_free_page(p->pa);
			kfree(p);
		} else {
			pp = &p->next;
		}
	}
}

int vma_discard(struct mm *mm, uint64_t start, uint64_t len)
{
	uint64_t end = start + len;
	for (struct vma *v = mm->head; v && v->start < end; v = v->next) {
		if (v->end <= start)
			continue;
		uint64_t s = v->start > start ? v->start : start;
		uint64_t e = v->end < end ? v->end : end;
		if (v->touched)
			drop_pages(mm, s, e);
		/* V8 decommits with mprotect(PROT_NONE) then madvise: the parked frames go too. */
		free_parked_range(v, s, e);
	}
	return 0;
}

static int range_free(struct mm *mm, uint64_t start, uint64_t end);

int vma_overlaps(struct mm *mm, uint64_t start, uint64_t len)
{
	return !range_free(mm, start, start + len);
}

static int range_free(struct mm *mm, uint64_t start, uint64_t end)
{
	for (struct vma *v = mm->head; v; v = v->next)
		if (v->start < end && start < v->end)
			return 0;
	return 1;
}

uint64_t vma_find_free(struct mm *mm, uint64_t len, uint64_t hint)
{
	hint &= PAGE_MASK;
	if (hint >= MMAP_BOTTOM && hint + len <= MMAP_TOP && hint + len > hint &&
	    range_free(mm, hint, hint + len))
		return hint;
	/* Highest gap below MMAP_TOP: walk the areas, remembering the last fitting gap. */
	uint64_t best = 0, prev_end = MMAP_BOTTOM;
	for (struct vma *v = mm->head;; v = v->next) {
		uint64_t gap_end = v ? v->start : MMAP_TOP;
		if (gap_end > MMAP_TOP)
			gap_end = MMAP_TOP;
		if (gap_end > prev_end && gap_end - prev_end >= len)
			best = gap_end - len;
		if (!v || v->start >= MMAP_TOP)
			break;
		if (v->end > prev_end)
			prev_end = v->end;
	}
	return best;
}

static void fill_page(struct vma *v, uint64_t va, void *page)
{
	if (!v->file)
		return;
	uint64_t off = v->file_off + (va - v->start);
	uint64_t limit = v->file_end < v->file->size ? v->file_end : v->file->size;
	if (off >= limit)
		return;
	uint64_t n = limit - off < PAGE_SIZE ? limit - off : PAGE_SIZE;
	memcpy(page, v->file->data + off, n);
}

/* The parked frame of va in v, taken off its list; 0 when there is none. Called with
 * mm->fault_lock held. */
static phys_addr_t unpark(struct vma *v, uint64_t va)
{
	for (struct parked_page **pp = &v->parked; *pp; pp = &(*pp)->next) {
		struct parked_page *p = *pp;
		if (p->va == va) {
			phys_addr_t pa = p->pa;
			*pp = p->next;
			kfree(p);
			return pa;
		}
	}
	return 0;
}

int vma_fault(struct mm *mm, uint64_t addr, int write, int exec)
{
	struct vma *v = vma_find(mm, addr);
	if (!v || v->prot == PROT_NONE || (write && !(v->prot & PROT_WRITE)) ||
	    (exec && !(v->prot & PROT_EXEC)))
		return -EFAULT;
	uint64_t va = addr & PAGE_MASK;
	unsigned flags = pte_flags(v->prot);
	if (vm_query(mm->as, va, NULL, NULL) == 0) {
		/* Present already: another CPU's stale view, or flags to refresh. */
		vm_protect_page(mm->as, va, flags);
		tlb_flush_page(va);
		return 0;
	}
	/* A fresh page is prepared outside the lock (zeroing is most of a fault's work) unless
	 * the area has parked pages, which can only shrink meanwhile (parking writes). */
	phys_addr_t fresh = 0;
	if (!__atomic_load_n(&v->parked, __ATOMIC_RELAXED)) {
		fresh = pmm_alloc_zeroed_page();
		if (!fresh)
			return -ENOMEM;
		fill_page(v, va, phys_to_virt(fresh));
	}
	write_lock(&mm->fault_lock);
	int rc;
	phys_addr_t pa = unpark(v, va);
	if (pa) {
		rc = vm_map_page(mm->as, va, pa, flags);
	} else {
		if (!fresh && (fresh = pmm_alloc_zeroed_page()))
			fill_page(v, va, phys_to_virt(fresh));
		rc = fresh ? vm_map_new_page(mm->as, va, fresh, flags) : -ENOMEM;
		if (rc == 0) {
			fresh = 0;
			v->touched = 1;
		} else if (rc == -EEXIST) {
			rc = 0; /* another CPU's fault mapped it first; the access is retried */
		}
	}
	write_unlock(&mm->fault_lock);
	if (fresh)
		pmm_free_page(fresh);
	return rc;
}

int vma_check(struct mm *mm, uint64_t addr, uint64_t len, int write)
{
	if (addr >= USER_LIMIT || len > USER_LIMIT - addr)
		return 0;
	uint64_t end = addr + len;
	while (addr < end) {
		struct vma *v = vma_find(mm, addr);
		if (!v)
			return 0;
		if (write >= 0 && (v->prot == PROT_NONE || (write && !(v->prot & PROT_WRITE))))
			return 0;
		addr = v->end;
	}
	return 1;
}

size_t vma_format_maps(char *buf, size_t cap)
{
	size_t n = 0;
	if (!current_mm)
		return 0;
	read_lock(&current_mm->lock);
	for (struct vma *v = current_mm->head; v && n < cap; v = v->next) {
		const char *name = v->file ? v->file->path : v->label ? v->label : "";
		int w = ksnprintf(buf + n, cap - n, "%012lx-%012lx %c%c%cp %08lx 00:00 %lu %s\n",
				  (unsigned long)v->start, (unsigned long)v->end,
				  v->prot & PROT_READ ? 'r' : '-', v->prot & PROT_WRITE ? 'w' : '-',
				  v->prot & PROT_EXEC ? 'x' : '-', (unsigned long)(v->file ? v->file_off : 0),
				  (unsigned long)(v->file ? v->file->ino : 0), name);
		if (w < 0)
			break;
		n += (size_t)w;
	}
	read_unlock(&current_mm->lock);
	return n < cap ? n : cap;
}
