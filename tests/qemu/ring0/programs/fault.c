/* Writes through a pointer no memory area covers: the kernel must report the address and
 * the faulting function, and end the system with a failing status. */
#include <stdio.h>

__attribute__((noinline)) void write_somewhere_bad(volatile int *p)
{
	*p = 42;
}

int main(void)
{
	printf("about to fault\n");
	fflush(stdout);
	write_somewhere_bad((volatile int *)0x13370000);
	return 0;
}
