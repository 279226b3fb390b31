/* Memory system calls: areas change here, each call under the areas' lock for writing;
 * pages appear only on first touch (vma.c). */
#include <errno.h>

#include "linux/fd.h"
#include "linux/syscall.h"
#include "linux/vma.h"

/* include/uapi/asm-generic/mman-common.h, mman.h */
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_FIXED_NOREPLACE 0x100000
#define MADV_DONTNEED 4
#define MADV_FREE 8
/* The lowest address MAP_FIXED may map (Linux's vm.mmap_min_addr, Debian's default): page 0
 * and its neighbours stay unmapped, so a kernel NULL dereference faults instead of reading
 * the program's memory. */
#define MMAP_MIN_ADDR 0x10000ull

/* Rounds up; 0 when v is within a page of 2^64 (every caller treats 0 as too long). */
static uint64_t page_up(uint64_t v)
{
	return (v + PAGE_SIZE - 1) & PAGE_MASK;
}

/* 1 if [addr, addr + len) lies inside the program's half of the address space. */
static int user_range(uint64_t addr, uint64_t len)
{
	return addr < USER_LIMIT && len <= USER_LIMIT - addr;
}

long sys_mmap(uint64_t addr, uint64_t len, uint64_t prot, uint64_t flags, uint64_t fd, uint64_t off)
{
	struct mm *mm = current_mm;
	if (len == 0 || page_up(len) < len || (off & ~PAGE_MASK) || (prot & ~7ull))
		return -EINVAL;
	len = page_up(len);
	if (!(flags & (MAP_SHARED | MAP_PRIVATE)))
		return -EINVAL;
	if (off + len < off)
		return -EOVERFLOW; /* as Linux: the file range would wrap */
	const struct node *file = NULL;
	if (!(flags & MAP_ANONYMOUS)) {
		struct file *f = fd_get((int)fd);
		if (!f)
			return -EBADF;
		int kind = f->node->kind;
		file = f->node; /* the initrd's nodes live as long as the system */
		fd_put(f);
		if (kind != NODE_FILE)
			return -ENODEV;
		if ((flags & MAP_SHARED) && (prot & PROT_WRITE))
			return -EACCES; /* the initrd is read-only: no shared writable mapping */
	}
	int fixed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0;
	if (fixed) {
		if (addr & ~PAGE_MASK || !user_range(addr, len))
			return -EINVAL;
		if (addr < MMAP_MIN_ADDR)
			return -EPERM;
	}
	write_lock(&mm->lock);
	long rc;
	uint64_t at = addr;
	if (fixed && (flags & MAP_FIXED_NOREPLACE) && !(flags & MAP_FIXED) && vma_overlaps(mm, addr, len))
		rc = -EEXIST;
	else if (!fixed && !(at = vma_find_free(mm, len, addr)))
		rc = -ENOMEM;
	else
		rc = vma_map(mm, at, len, (unsigned)prot, file, off, file ? UINT64_MAX : 0, NULL);
	write_unlock(&mm->lock);
	return rc < 0 ? rc : (long)at;
}

long sys_munmap(uint64_t addr, uint64_t len)
{
	if ((addr & ~PAGE_MASK) || len == 0 || !page_up(len) || !user_range(addr, page_up(len)))
		return -EINVAL;
	struct mm *mm = current_mm;
	write_lock(&mm->lock);
	int rc = vma_unmap(mm, addr, page_up(len));
	write_unlock(&mm->lock);
	return rc;
}

long sys_mprotect(uint64_t addr, uint64_t len, uint64_t prot)
{
	if ((addr & ~PAGE_MASK) || (prot & ~7ull))
		return -EINVAL;
	if (len == 0)
		return 0;
	if (!page_up(len) || !user_range(addr, page_up(len)))
		return -ENOMEM; /* as Linux: part of the range is not mapped */
	struct mm *mm = current_mm;
	write_lock(&mm->lock);
	int rc = vma_protect(mm, addr, page_up(len), (unsigned)prot);
	write_unlock(&mm->lock);
	return rc;
}

long sys_madvise(uint64_t addr, uint64_t len, uint64_t advice)
{
	if (addr & ~PAGE_MASK || (len && !page_up(len)))
		return -EINVAL;
	if (len && !user_range(addr, page_up(len)))
		return -ENOMEM;
	if (advice != MADV_DONTNEED && advice != MADV_FREE)
		return 0; /* other advice is a hint */
	struct mm *mm = current_mm;
	write_lock(&mm->lock);
	int rc = vma_discard(mm, addr, page_up(len));
	write_unlock(&mm->lock);
	return rc;
}

long sys_mremap(void)
{
	return -ENOMEM; /* glibc's realloc then allocates, copies and frees */
}

long sys_brk(uint64_t addr)
{
	struct mm *mm = current_mm;
	write_lock(&mm->lock);
	if (addr < mm->brk_start || addr >= USER_LIMIT) {
		addr = mm->brk; /* as Linux: a refused break is answered with the current one */
	} else {
		uint64_t old_top = page_up(mm->brk), new_top = page_up(addr);
		if (new_top > old_top &&
		    (vma_overlaps(mm, old_top, new_top - old_top) ||
		     vma_map(mm, old_top, new_top - old_top, PROT_READ | PROT_WRITE, NULL, 0, 0, "[heap]") < 0))
			addr = mm->brk;
		else if (new_top < old_top)
			vma_unmap(mm, new_top, old_top - new_top);
		mm->brk = addr;
	}
	write_unlock(&mm->lock);
	return (long)addr;
}
