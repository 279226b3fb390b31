/* The invariant every fuzzer checks of a program's memory areas (linux/vma.h). */
#ifndef RTJS_FUZZ_AREAS_H
#define RTJS_FUZZ_AREAS_H

#include <stdlib.h>

#include "linux/vma.h"

/* Aborts (a finding) unless the areas are sorted, disjoint, non-empty, page aligned and
 * inside the lower half. */
static inline void areas_check(const struct mm *mm)
{
	uint64_t prev_end = 0;
	for (const struct vma *v = mm->head; v; v = v->next) {
		if (v->start < prev_end || v->start >= v->end || v->end > USER_LIMIT ||
		    (v->start | v->end) & ~PAGE_MASK)
			abort();
		prev_end = v->end;
	}
}

#endif
