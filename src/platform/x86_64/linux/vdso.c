/* Maps the vDSO (contract in linux/vdso.h). Both pages come from the kernel image through
 * file-like nodes of their own (not in the file system): the program's pages are copies,
 * made on first touch as for any file mapping, and the data is final by then (the clock's
 * parameters are set at boot). */
#include "linux/vdso.h"

#include "linux/fs.h"
#include "linux/vma.h"
#include "mm/paging.h"
#include "rtjs-vdso-data.h"
#include "time/clock.h"

extern const uint8_t vdso_image[], vdso_image_end[];

static union {
	struct rtjs_vdso_data d;
	uint8_t page[PAGE_SIZE];
} data __attribute__((aligned(PAGE_SIZE)));

static struct node data_node = { .path = "[vvar]", .kind = NODE_FILE, .mode = S_IFREG | 0444 };
static struct node image_node = { .path = "[vdso]", .kind = NODE_FILE, .mode = S_IFREG | 0555 };

uint64_t vdso_map(struct mm *mm)
{
	size_t image = (size_t)(vdso_image_end - vdso_image);
	uint64_t image_pages = PAGE_ALIGN_UP(image);
	clock_parameters(&data.d.tsc0, &data.d.mult, &data.d.wall_at_boot_ns);
	data_node.data = data.page;
	data_node.size = sizeof data.d;
	image_node.data = vdso_image;
	image_node.size = image;
	write_lock(&mm->lock);
	uint64_t at = vma_find_free(mm, PAGE_SIZE + image_pages, 0);
	int ok = at && vma_map(mm, at, PAGE_SIZE, PROT_READ, &data_node, 0, UINT64_MAX, NULL) == 0 &&
		 vma_map(mm, at + PAGE_SIZE, image_pages, PROT_READ | PROT_EXEC, &image_node, 0, UINT64_MAX,
			 NULL) == 0;
	write_unlock(&mm->lock);
	return ok ? at + PAGE_SIZE : 0;
}
