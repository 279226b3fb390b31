/* Prints its arguments, allocates, and exits with status 7: the first rungs of running a
 * Linux program in ring 0 (built twice: static, and dynamic with ld.so). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	char *p = malloc(1 << 20);
	memset(p, 'x', 1 << 20);
	printf("hello from ring 0: argc=%d", argc);
	for (int i = 1; i < argc; i++)
		printf(" [%s]", argv[i]);
	printf(" heap=%s\n", p[12345] == 'x' ? "ok" : "bad");
	return 7;
}
