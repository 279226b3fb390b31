/* A library for prebind's test: it calls (PLT), reads (GOT) and points to (R_X86_64_64) its
 * own exported symbols, one of which the program defines too, and reads two STB_GNU_UNIQUE
 * objects (what g++ makes of a static in an inline function), one of which the next library
 * defines too. */
int prebind_counter;

int prebind_unique = 7;
__asm__(".type prebind_unique, @gnu_unique_object");

int prebind_shared_unique = 5;
__asm__(".type prebind_shared_unique, @gnu_unique_object");

int prebind_value(void)
{
	return 42;
}

/* The program's definition takes this one's place (it is first in the search order). */
int prebind_interposed(void)
{
	return 1;
}

int (*const prebind_table[])(void) = { prebind_value, prebind_interposed };

int prebind_run(void)
{
	prebind_counter++;
	return prebind_value() + 100 * prebind_interposed() + prebind_table[0]() + 1000 * prebind_table[1]() +
	       prebind_counter + 10000 * prebind_unique + 100000 * prebind_shared_unique;
}
