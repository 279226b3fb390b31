/* prebind's test program: prints what the library computes from its own symbols and the one
 * this program interposes: 42 + 100*2 + 42 + 1000*2 + 1 = 2285 when every reference resolves
 * as ld.so would resolve it. */
#include <stdio.h>

int prebind_run(void);

int prebind_interposed(void)
{
	return 2;
}

int main(void)
{
	printf("%d\n", prebind_run());
	return 0;
}
