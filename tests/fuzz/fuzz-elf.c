/* libFuzzer target: the ELF loader (linux/elf.c) on arbitrary bytes, as a program file in
 * the initrd or any file mapped where a fault report looks up a symbol.
 *
 * The input is copied to 4 bytes past an 8-byte boundary, as the initrd keeps files only
 * 4-byte aligned, and into a buffer of exactly its size, so AddressSanitizer sees a read
 * past the file. A loaded file must map only the lower half, fill its pages from inside
 * the file, and leave nothing behind when its areas are unmapped. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "areas.h"
#include "fake-kernel.h"
#include "linux/elf.h"
#include "linux/fs.h"
#include "linux/vma.h"

#define FILE_ALIGN_SKEW 4       /* cpio newc aligns file data to 4 bytes only */
#define PAGES_TOUCHED_PER_AREA 4 /* bounded: an area may span gigabytes */
/* Faults only in areas up to this size: unmapping a touched area visits each of its pages
 * (vma.c), which for a terabyte segment would make one input run for hours. */
#define FAULT_AREA_MAX (64ull << 20)

/* Touches the first pages of each area: each is filled from the file (ASan checks the
 * range copied). */
static void touch_areas(struct mm *mm)
{
	areas_check(mm);
	for (struct vma *v = mm->head; v; v = v->next) {
		for (uint64_t va = v->start, n = 0; va < v->end && n < PAGES_TOUCHED_PER_AREA;
		     va += PAGE_SIZE, n++)
			if (v->prot != PROT_NONE && v->end - v->start <= FAULT_AREA_MAX)
				vma_fault(mm, va, 0, 0);
	}
}

static void lookup_symbols(const struct node *f, const struct elf_image *img)
{
	static const uint64_t probes[] = { 0, 1, 0x1000, 0x401000, UINT64_MAX, UINT64_MAX / 2 };
	uint64_t off;
	volatile size_t sink = 0;
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		const char *name = elf_symbol(f, img->bias, img->bias + probes[i], &off);
		if (name)
			sink += strlen(name); /* must be terminated inside the file */
		sink += elf_offset_to_vaddr(f, probes[i]);
	}
	if (img->entry) {
		const char *name = elf_symbol(f, img->bias, img->entry, &off);
		if (name)
			sink += strlen(name);
	}
	(void)sink;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *raw = malloc(size + FILE_ALIGN_SKEW);
	if (!raw)
		return 0;
	uint8_t *bytes = raw + FILE_ALIGN_SKEW;
	memcpy(bytes, data, size);
	struct node f = { .path = "/fuzz", .kind = NODE_FILE, .mode = S_IFREG | 0755, .ino = 1,
			  .data = bytes, .size = size };
	struct mm mm;
	struct elf_image img = { 0 };
	fake_reset();
	if (mm_init(&mm) == 0) {
		int checked = elf_check(&f);
		int loaded = elf_load(&mm, &f, size & 1 ? 0 : PIE_BASE, &img);
		if (checked < 0 && loaded == 0)
			abort(); /* loaded a file the check refused */
		touch_areas(&mm);
		lookup_symbols(&f, &img);
		vma_unmap(&mm, 0, USER_LIMIT);
		if (mm.head || fake_pages_live() != 0)
			abort(); /* areas or pages left after unmapping everything */
	}
	free(raw);
	return 0;
}
