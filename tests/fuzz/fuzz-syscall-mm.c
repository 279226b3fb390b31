/* libFuzzer target: the memory system calls' argument checks (linux/sys-mm.c over
 * linux/vma.c), driven by sequences of mmap, munmap, mprotect, madvise, brk, page faults
 * and pointer checks with arbitrary arguments.
 *
 * After every call the program's areas must stay sorted, disjoint, page aligned and inside
 * the lower half, every present page must lie in an area that allows it, and each call's
 * contract must hold (a mapping that succeeded is there with its protection, an unmapped
 * range is empty). Nothing may be read or written outside memory the fake kernel owns. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "areas.h"
#include "fake-kernel.h"
#include "linux/fd.h"
#include "linux/fs.h"
#include "linux/syscall.h"
#include "linux/vma.h"

#define MAX_CALLS 64
#define FILE_FD 3     /* the one open file, a small initrd file */
#define FILE_BYTES 5000 /* not a page multiple: the last page is partly file, partly zero */
#define HEAP_START 0x600000ull
/* Faults only in areas up to this size: unmapping a touched area visits each of its pages
 * (vma.c), which for a terabyte area would make one input run for hours. */
#define FAULT_AREA_MAX (64ull << 20)

/* mman-common.h */
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_FIXED_NOREPLACE 0x100000

static uint8_t file_bytes[FILE_BYTES];
static struct node file_node = { .path = "/lib/data", .kind = NODE_FILE, .mode = S_IFREG | 0644,
				 .ino = 7, .data = file_bytes, .size = FILE_BYTES };
static struct file file = { .refs = 1, .node = &file_node };

/* The stand-ins the memory calls need from linux/fd.c: the file's reference count stays
 * where it started once each call is over. */
struct file *fd_get(int fd)
{
	if (fd != FILE_FD)
		return NULL;
	file.refs++;
	return &file;
}

void fd_put(struct file *f)
{
	if (--f->refs < 1)
		abort();
}

struct input {
	const uint8_t *p;
	size_t left;
};

static uint64_t take(struct input *in, size_t n)
{
	uint64_t v = 0;
	n = n < in->left ? n : in->left;
	memcpy(&v, in->p, n);
	in->p += n;
	in->left -= n;
	return v;
}

/* An argument: mostly values near the boundaries the checks are about, sometimes raw. */
static uint64_t arg(struct input *in)
{
	static const uint64_t edges[] = {
		0, 1, PAGE_SIZE - 1, PAGE_SIZE, PAGE_SIZE + 1, 2 * PAGE_SIZE, 0x10000, HEAP_START,
		MMAP_BOTTOM, MMAP_TOP - PAGE_SIZE, MMAP_TOP, STACK_TOP, USER_LIMIT - PAGE_SIZE,
		USER_LIMIT, USER_LIMIT + PAGE_SIZE, UINT64_MAX - PAGE_SIZE + 1, UINT64_MAX - 1,
		UINT64_MAX, (uint64_t)INT64_MAX, (uint64_t)INT64_MIN, 1ull << 32, 1ull << 40,
	};
	unsigned sel = (unsigned)take(in, 1);
	uint64_t nedges = sizeof(edges) / sizeof(edges[0]);
	if (sel < 0x80)
		return edges[sel % nedges];
	if (sel < 0xc0)
		return edges[sel % nedges] + take(in, 2) * PAGE_SIZE;
	return take(in, 8);
}

static void check_present_pages(struct mm *mm, uint64_t from, uint64_t to)
{
	for (uint64_t va = from; va < to; va += PAGE_SIZE) {
		int flags = fake_page_flags(va);
		struct vma *v = vma_find(mm, va);
		if (flags >= 0 && (!v || v->prot == PROT_NONE))
			abort(); /* a page present outside any accessible area */
	}
}

static void call(struct mm *mm, struct input *in)
{
	unsigned op = (unsigned)take(in, 1) % 7;
	uint64_t a = arg(in), b = arg(in), c = take(in, 1) & 0xf, d = take(in, 4);
	long rc;
	switch (op) {
	case 0: {
		uint64_t flags = (d & (MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS)) |
				 (d & 0x100 ? MAP_FIXED_NOREPLACE : 0);
		rc = sys_mmap(a, b, c, flags, d & 0x200 ? FILE_FD : 9, d & 0x400 ? arg(in) : 0);
		if (rc >= 0) {
			uint64_t at = (uint64_t)rc, len = (b + PAGE_SIZE - 1) & PAGE_MASK;
			struct vma *v = vma_find(mm, at);
			if (at & ~PAGE_MASK || !v || v->start > at || v->prot != c ||
			    !vma_check(mm, at, len, -1))
				abort(); /* mmap reported success but the mapping is not all there */
			check_present_pages(mm, at, at + (len < 8 * PAGE_SIZE ? len : 8 * PAGE_SIZE));
		}
		break;
	}
	case 1:
		rc = sys_munmap(a, b);
		if (rc == 0 && vma_overlaps(mm, a, (b + PAGE_SIZE - 1) & PAGE_MASK))
			abort(); /* munmap reported success but something is still mapped */
		break;
	case 2:
		rc = sys_mprotect(a, b, c);
		if (rc == 0 && b && (!vma_find(mm, a) || vma_find(mm, a)->prot != c))
			abort(); /* mprotect reported success but the protection differs */
		check_present_pages(mm, a & PAGE_MASK, (a & PAGE_MASK) + 4 * PAGE_SIZE);
		break;
	case 3:
		sys_madvise(a, b, d & 1 ? 4 : 8);
		break;
	case 4:
		rc = sys_brk(a);
		if ((uint64_t)rc != mm->brk)
			abort(); /* brk answers something other than the break */
		break;
	case 5: {
		struct vma *v = vma_find(mm, a);
		if (v && v->end - v->start > FAULT_AREA_MAX)
			break;
		if (vma_fault(mm, a, d & 1, d & 2) == 0 && !vma_check(mm, a & PAGE_MASK, 1, d & 1))
			abort(); /* a fault was served where no area allows the access */
		break;
	}
	case 6: {
		int ok = vma_check(mm, a, b, d & 1);
		if (ok && (a >= USER_LIMIT || b > USER_LIMIT - a))
			abort(); /* a pointer accepted outside the lower half */
		if (ok && b && !vma_find(mm, a))
			abort(); /* a pointer accepted where nothing is mapped */
		break;
	}
	}
	areas_check(mm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mm mm;
	struct input in = { data, size };
	fake_reset();
	if (mm_init(&mm) < 0)
		return 0;
	mm.brk_start = mm.brk = HEAP_START;
	current_mm = &mm;
	for (unsigned i = 0; i < MAX_CALLS && in.left; i++)
		call(&mm, &in);
	vma_unmap(&mm, 0, USER_LIMIT);
	if (mm.head || fake_pages_live() != 0)
		abort(); /* areas or pages left after unmapping everything */
	current_mm = NULL;
	return 0;
}
