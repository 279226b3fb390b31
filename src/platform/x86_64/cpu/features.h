/* CPU features the kernel and the hosted program depend on (CPUID, SDM vol. 2A). */
#ifndef RTJS_FEATURES_H
#define RTJS_FEATURES_H
#include <stddef.h>
#include <stdint.h>

struct cpu_features {
	char vendor[13];
	int nx, pge, xsave, avx, avx2, fsgsbase, pdpe1gb, x2apic, invariant_tsc, rdrand;
	uint64_t xcr0;       /* enabled XSAVE components (x87|SSE|AVX = 7) */
	uint32_t xsave_size; /* bytes XSAVE needs for xcr0 (L: per-thread vector state) */
};

const struct cpu_features *cpu_features(void);

/* Fills buf with len bytes from the CPU's random number generator (RDRAND, SDM vol. 1,
 * 7.3.17). 0, -ENODEV without RDRAND, -EIO if it keeps failing. */
int cpu_random(void *buf, size_t len);

/* The program's x87/SSE/AVX state, for context switches (XSAVE when present, else
 * FXSAVE). `area` holds cpu_features()->xsave_size bytes, 64-byte aligned. */
#define CPU_VECTOR_ALIGN 64
/* A fresh state: x87 and SSE defaults (FCW 0x37f, MXCSR 0x1f80), vector registers zero. */
void cpu_vector_init_area(void *area);
void cpu_vector_save(void *area);
void cpu_vector_restore(const void *area);

/* Kernel: detects features and enables, on this CPU, SSE and AVX for the program
 * (CR0.MP, CR4.OSFXSR|OSXMMEXCPT|OSXSAVE, XCR0), NX (EFER.NXE), CR0.WP and CR4.PGE.
 * Stops with a message if a required feature (SSE2, FXSR) is missing. */
void cpu_features_init(void);

#endif
