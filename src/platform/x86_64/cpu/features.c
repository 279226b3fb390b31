#include "cpu/features.h"
#include <errno.h>
#include <string.h>
#include "cpu/cpu.h"
#include "lib/log.h"

/* CPUID bits (SDM vol. 2A, tables 3-8 to 3-10; AMD APM vol. 3 for 0x80000001). */
#define CPUID1_EDX_PGE (1u << 13)
#define CPUID1_EDX_FXSR (1u << 24)
#define CPUID1_EDX_SSE2 (1u << 26)
#define CPUID1_ECX_X2APIC (1u << 21)
#define CPUID1_ECX_XSAVE (1u << 26)
#define CPUID1_ECX_AVX (1u << 28)
#define CPUID1_ECX_RDRAND (1u << 30)
#define CPUID7_EBX_FSGSBASE (1u << 0)
#define CPUID7_EBX_AVX2 (1u << 5)
#define CPUIDX1_EDX_NX (1u << 20)
#define CPUIDX1_EDX_PDPE1GB (1u << 26)
#define CPUIDX7_EDX_INVARIANT_TSC (1u << 8)
#define XCR0_X87 (1u << 0)
#define XCR0_SSE (1u << 1)
#define XCR0_AVX (1u << 2)
#define MXCSR_DEFAULT 0x1f80 /* all exceptions masked, round to nearest */
#define FCW_DEFAULT 0x037f   /* x87: all exceptions masked, 64-bit precision */
#define FXSAVE_FCW 0         /* legacy area offsets (SDM vol. 1, table 10-2) */
#define FXSAVE_MXCSR 24
#define RDRAND_RETRIES 10 /* Intel's DRNG guide: retry a few times, then give up */
#define XSAVE_ALL 0xffffffffu /* requested-feature bitmap: everything XCR0 enables */

static struct cpu_features feat;

const struct cpu_features *cpu_features(void)
{
	return &feat;
}

static void detect(void)
{
	uint32_t r[4];
	cpuid(0, 0, r);
	uint32_t max = r[0];
	memcpy(feat.vendor, &r[1], 4);
	memcpy(feat.vendor + 4, &r[3], 4);
	memcpy(feat.vendor + 8, &r[2], 4);
	cpuid(1, 0, r);
	if (!(r[3] & CPUID1_EDX_FXSR) || !(r[3] & CPUID1_EDX_SSE2))
		panic("CPU lacks FXSR/SSE2, which the hosted program needs");
	feat.pge = !!(r[3] & CPUID1_EDX_PGE);
	feat.xsave = !!(r[2] & CPUID1_ECX_XSAVE);
	feat.avx = !!(r[2] & CPUID1_ECX_AVX);
	feat.x2apic = !!(r[2] & CPUID1_ECX_X2APIC);
	feat.rdrand = !!(r[2] & CPUID1_ECX_RDRAND);
	if (max >= 7) {
		cpuid(7, 0, r);
		feat.fsgsbase = !!(r[1] & CPUID7_EBX_FSGSBASE);
		feat.avx2 = !!(r[1] & CPUID7_EBX_AVX2);
	}
	cpuid(0x80000000, 0, r);
	uint32_t xmax = r[0];
	cpuid(0x80000001, 0, r);
	feat.nx = !!(r[3] & CPUIDX1_EDX_NX);
	feat.pdpe1gb = !!(r[3] & CPUIDX1_EDX_PDPE1GB);
	if (xmax >= 0x80000007) {
		cpuid(0x80000007, 0, r);
		feat.invariant_tsc = !!(r[3] & CPUIDX7_EDX_INVARIANT_TSC);
	}
}

static void enable_vector_state(void)
{
	uint64_t cr0 = read_cr0();
	cr0 = (cr0 | CR0_MP | CR0_WP) & ~(CR0_EM | CR0_TS);
	write_cr0(cr0);
	uint64_t cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;
	if (feat.pge)
		cr4 |= CR4_PGE;
	if (feat.xsave)
		cr4 |= CR4_OSXSAVE;
	write_cr4(cr4);
	if (feat.xsave) {
		feat.xcr0 = XCR0_X87 | XCR0_SSE | (feat.avx ? XCR0_AVX : 0);
		xsetbv(0, feat.xcr0);
		uint32_t r[4];
		cpuid(0xd, 0, r);
		feat.xsave_size = r[1]; /* EBX: size for the components enabled in XCR0 */
	} else {
		feat.xsave_size = 512; /* FXSAVE area */
	}
	uint32_t mxcsr = MXCSR_DEFAULT;
	__asm__ volatile("fninit\n\tldmxcsr %0" : : "m"(mxcsr));
}

void cpu_features_init(void)
{
	if (!feat.vendor[0])
		detect();
	enable_vector_state();
	if (feat.nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
}

void cpu_vector_init_area(void *area)
{
	uint16_t fcw = FCW_DEFAULT;
	uint32_t mxcsr = MXCSR_DEFAULT;
	memset(area, 0, feat.xsave_size);
	/* XSTATE_BV stays 0 (XSAVE header at 512): XRSTOR puts every component in its init
	 * state, except MXCSR, which it always loads from the legacy area. */
	memcpy((char *)area + FXSAVE_FCW, &fcw, sizeof fcw);
	memcpy((char *)area + FXSAVE_MXCSR, &mxcsr, sizeof mxcsr);
}

void cpu_vector_save(void *area)
{
	if (feat.xsave)
		__asm__ volatile("xsave64 (%0)" : : "r"(area), "a"(XSAVE_ALL), "d"(XSAVE_ALL) : "memory");
	else
		__asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}

void cpu_vector_restore(const void *area)
{
	if (feat.xsave)
		__asm__ volatile("xrstor64 (%0)" : : "r"(area), "a"(XSAVE_ALL), "d"(XSAVE_ALL) : "memory");
	else
		__asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}

static int rdrand64(uint64_t *v)
{
	for (int i = 0; i < RDRAND_RETRIES; i++) {
		uint8_t ok;
		__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok) : : "cc");
		if (ok)
			return 0;
	}
	return -EIO;
}

int cpu_random(void *buf, size_t len)
{
	if (!feat.rdrand)
		return -ENODEV;
	uint8_t *p = buf;
	while (len) {
		uint64_t v;
		if (rdrand64(&v))
			return -EIO;
		size_t n = len < sizeof v ? len : sizeof v;
		memcpy(p, &v, n);
		p += n;
		len -= n;
	}
	return 0;
}
