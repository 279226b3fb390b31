/* Turning the loader's memory map into the list of pages the allocator may hand out (pure). */
#ifndef RTJS_MEMMAP_H
#define RTJS_MEMMAP_H
#include <stdint.h>
#include "boot/bootinfo.h"

#define MEMMAP_MAX_RANGES 256

struct phys_range {
	uint64_t start; /* inclusive */
	uint64_t end;   /* exclusive */
};

/* Usable RAM: every BOOT_MEM_USABLE entry, minus every part covered by an entry of another
 * type (a reserved entry overlapping a usable one wins), minus the `reserved` ranges,
 * shrunk to whole 4 KiB pages; empty results are dropped. Output sorted, merged, at most
 * `max` ranges. Returns the number of ranges, or -ENOSPC if they did not fit. */
int memmap_usable(const struct boot_mmap_entry *map, unsigned n, const struct phys_range *reserved,
		  unsigned nreserved, struct phys_range *out, unsigned max);

#endif
