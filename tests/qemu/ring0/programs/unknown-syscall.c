/* Calls a system call the kernel does not implement, twice: it must answer -ENOSYS and log
 * the call once, by name. */
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	long a = syscall(SYS_io_uring_setup, 1, NULL);
	int ea = errno;
	long b = syscall(SYS_io_uring_setup, 1, NULL);
	printf("io_uring_setup: %ld %s, again %ld\n", a, ea == ENOSYS ? "ENOSYS" : "other", b);
	return 0;
}
