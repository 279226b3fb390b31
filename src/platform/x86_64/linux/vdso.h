/* The program's vDSO: clock_gettime, gettimeofday, time and getcpu answered in the
 * program without a system call (vdso/vdso.c, include/rtjs-vdso-data.h). */
#ifndef RTJS_LINUX_VDSO_H
#define RTJS_LINUX_VDSO_H

#include <stdint.h>

struct mm;

/* Maps the vDSO's data page and, just above it, its image into mm; returns the image's
 * address (for AT_SYSINFO_EHDR), or 0 when there is no room. */
uint64_t vdso_map(struct mm *mm);

#endif
