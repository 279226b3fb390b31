/* The rtjs system calls that hand out shared things (MSI vectors, DMA areas) called from
 * two threads on two CPUs at the same moment: of two frees of one vector or area exactly
 * one succeeds, two allocations get different vectors, and an attach racing a free either
 * attaches before it or is refused. Exits with 0 when every round held. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "rtjs-syscall.h"

#define ROUNDS 1500
#define PAGE 4096

static long call(long nr, long a, long b, long c)
{
	long r;
	register long r10 __asm__("r10") = 0;
	__asm__ volatile("syscall" : "=a"(r) : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
	return r;
}

static long msi_alloc(void)
{
	static _Thread_local uint64_t addr;
	static _Thread_local uint32_t data;
	return call(SYS_rtjs_msi_alloc, 0, (long)&addr, (long)&data);
}

/* Both threads meet here before each step, so that their calls start together. */
static atomic_int arrived;

static void meet(int step)
{
	atomic_fetch_add(&arrived, 1);
	while (atomic_load(&arrived) < 2 * step)
		;
}

static long shared_irq, shared_dma;
static long results[2][4];
static long failures, extra_round_errors;

static int setup(void)
{
	uint64_t phys;
	shared_irq = msi_alloc();
	shared_dma = call(SYS_rtjs_dma_alloc, PAGE, (long)&phys, 0);
	if (shared_irq >= RTJS_MSI_FIRST && shared_dma < -4095)
		return 0;
	printf("setup: msi_alloc %ld, dma_alloc %ld\n", shared_irq, shared_dma);
	exit(1);
}

static void *racer(void *arg)
{
	long id = (long)arg;
	int step = 0;
	for (int r = 0; r < ROUNDS; r++) {
		if (id == 0 && setup() != 0)
			break;
		meet(++step); /* thread 0 has allocated shared_irq and shared_dma */
		results[id][0] = call(SYS_rtjs_msi_free, shared_irq, 0, 0);
		results[id][1] = call(SYS_rtjs_dma_free, shared_dma, PAGE, 0);
		meet(++step);
		results[id][2] = msi_alloc();
		meet(++step);
		/* One frees its own vector while the other attaches to it. */
		long other = results[1 - id][2];
		results[id][3] = id ? call(SYS_rtjs_irq_attach, other, 0, 0) : call(SYS_rtjs_msi_free, results[id][2], 0, 0);
		meet(++step);
		if (id == 0) {
			int ok = 1;
			long f0 = results[0][0], f1 = results[1][0];
			ok &= (f0 == 0 && f1 == -EINVAL) || (f0 == -EINVAL && f1 == 0);
			long d0 = results[0][1], d1 = results[1][1];
			ok &= (d0 == 0 && d1 == -EINVAL) || (d0 == -EINVAL && d1 == 0);
			long a0 = results[0][2], a1 = results[1][2];
			ok &= a0 >= RTJS_MSI_FIRST && a1 >= RTJS_MSI_FIRST && a0 != a1;
			ok &= results[0][3] == 0 && (results[1][3] == 0 || results[1][3] == -EINVAL);
			if (!ok && failures++ < 5)
				printf("round %d: frees %ld %ld, DMA frees %ld %ld, allocations %ld %ld, free %ld / attach %ld\n",
				       r, f0, f1, d0, d1, a0, a1, results[0][3], results[1][3]);
			/* The second thread's vector is still allocated: given back here. */
			if (call(SYS_rtjs_msi_free, a1, 0, 0) != 0)
				extra_round_errors++;
		}
		meet(++step);
	}
	return NULL;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0); /* each line out before a panic could end the run */
	pthread_t t;
	pthread_create(&t, NULL, racer, (void *)1);
	racer((void *)0); /* the main thread is thread 0 */
	pthread_join(t, NULL);
	printf("rtjs calls: %d rounds, %ld failed, %ld cleanup errors\n", ROUNDS, failures, extra_round_errors);
	return failures || extra_round_errors ? 1 : 0;
}
