/* The page of data the kernel shares with the program's vDSO (vdso/vdso.c):
 * what the vDSO needs to answer clock_gettime, gettimeofday and time without a system
 * call. The kernel's clock is the TSC from boot (time/clock.c), so these are set once. */
#ifndef RTJS_VDSO_DATA_H
#define RTJS_VDSO_DATA_H

#include <stdint.h>

struct rtjs_vdso_data {
	uint64_t tsc0;            /* TSC at the kernel's clock origin */
	uint64_t mult;            /* ns = ((tsc - tsc0) * mult) >> 32 */
	int64_t wall_at_boot_ns;  /* CLOCK_REALTIME at the origin */
};

/* The CPU index in the kernel's per-CPU block, which %gs always addresses (the program
 * runs in ring 0 and the kernel never executes swapgs): cpu/percpu.h's PERCPU_CPU_INDEX. */
#define RTJS_VDSO_GS_CPU_INDEX 8

#endif
