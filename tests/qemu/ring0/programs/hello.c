/* Prints its arguments, allocates, reads a signal's action, and exits with status 7: the
 * first rungs of running a Linux program in ring 0 (built twice: static, and dynamic with
 * ld.so). */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The old action rt_sigaction writes: x86_64's struct sigaction as the kernel lays it out
 * (include/linux/signal_types.h: handler, flags, restorer, then the mask of sigsetsize
 * bytes). */
struct kernel_sigaction {
	void *handler;
	unsigned long flags;
	void *restorer;
	uint64_t mask;
};

/* A signal never handled reads back whole as SIG_DFL: no flags, no restorer, an empty mask
 * (every field overwritten, not only the first bytes). */
static const char *default_action(void)
{
	struct kernel_sigaction old;
	memset(&old, 0xa5, sizeof(old));
	if (syscall(SYS_rt_sigaction, SIGUSR1, NULL, &old, sizeof(old.mask)) != 0)
		return "error";
	return old.handler == SIG_DFL && old.flags == 0 && old.restorer == NULL && old.mask == 0 ? "ok" : "bad";
}

int main(int argc, char **argv)
{
	char *p = malloc(1 << 20);
	memset(p, 'x', 1 << 20);
	printf("hello from ring 0: argc=%d", argc);
	for (int i = 1; i < argc; i++)
		printf(" [%s]", argv[i]);
	printf(" heap=%s sigaction=%s\n", p[12345] == 'x' ? "ok" : "bad", default_action());
	return 7;
}
