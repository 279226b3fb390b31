/* rtjs_dma_free gives back only what rtjs_dma_alloc handed out: a wrong length, a part, a
 * range never allocated (the kernel's own memory) and a second free are refused with
 * EINVAL and leave the allocation usable; the exact range is freed once. Exits with the
 * number of checks that failed. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "rtjs-syscall.h"

#define PAGE 4096
#define KERNEL_IMAGE_PHYS 0x100000 /* where multiboot loads the kernel: never DMA memory */

static int failed;

static void expect(const char *what, long rc, long want_rc, int want_errno)
{
	int ok = rc == want_rc && (want_rc != -1 || errno == want_errno);
	printf("%s - %s: %ld%s%s\n", ok ? "ok" : "FAIL", what, rc, rc == -1 ? " " : "",
	       rc == -1 ? strerror(errno) : "");
	failed += !ok;
}

int main(void)
{
	uint64_t phys = 0;
	long va = syscall(SYS_rtjs_dma_alloc, 2 * PAGE, &phys);
	if (va == -1) {
		printf("FAIL - rtjs_dma_alloc: %s\n", strerror(errno));
		return 1;
	}
	expect("a wrong length", syscall(SYS_rtjs_dma_free, va, PAGE), -1, EINVAL);
	expect("a part of the allocation", syscall(SYS_rtjs_dma_free, va + PAGE, PAGE), -1, EINVAL);
	expect("the kernel's own memory",
	       syscall(SYS_rtjs_dma_free, RTJS_DIRECT_MAP_BASE + KERNEL_IMAGE_PHYS, PAGE), -1, EINVAL);
	expect("an address below the direct map", syscall(SYS_rtjs_dma_free, PAGE, PAGE), -1, EINVAL);
	memset((void *)va, 0x5a, 2 * PAGE); /* still ours after the refusals */
	expect("the allocation itself", syscall(SYS_rtjs_dma_free, va, 2 * PAGE), 0, 0);
	expect("the same allocation again", syscall(SYS_rtjs_dma_free, va, 2 * PAGE), -1, EINVAL);
	printf("dma ownership: %d checks failed\n", failed);
	return failed;
}
