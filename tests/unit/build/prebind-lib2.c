/* The second library of prebind's test: it defines a unique object the first defines too, so
 * that the first library's references to it keep their lookup. ld.so gives every object the
 * first definition in the search order, the first library's. */
int prebind_shared_unique = 6;
__asm__(".type prebind_shared_unique, @gnu_unique_object");

int prebind_second(void)
{
	return prebind_shared_unique;
}
