/* prebind's test program: prints what the library computes from its own symbols and the one
 * this program interposes, 42 + 100*2 + 42 + 1000*2 + 1 + 10000*7 + 100000*5 = 572285, and
 * what the second library reads of the unique object both define (the first's, 5), when every
 * reference resolves as ld.so would resolve it. */
#include <stdio.h>

int prebind_run(void);
int prebind_second(void);

int prebind_interposed(void)
{
	return 2;
}

int main(void)
{
	printf("%d %d\n", prebind_run(), prebind_second());
	return 0;
}
