#include "cpu/ksyms.h"
#include "boot/layout.h"

struct ksym {
	uint64_t addr;
	uint64_t name; /* offset from the table start */
};

/* Past the last text symbol by more than this, an address is not in any function. */
#define KSYM_MAX_FUNC_SIZE 0x10000

static const uint64_t *table(void) { return (const uint64_t *)__ksyms_start; }

unsigned ksym_count(void)
{
	if (__ksyms_end - __ksyms_start < 8)
		return 0;
	return (unsigned)table()[0];
}

const char *ksym_lookup(uint64_t addr, uint64_t *offset)
{
	unsigned n = ksym_count();
	const struct ksym *s = (const struct ksym *)(table() + 1);
	if (n == 0 || addr < s[0].addr)
		return 0;
	unsigned lo = 0, hi = n; /* find the last symbol with s.addr <= addr */
	while (hi - lo > 1) {
		unsigned mid = (lo + hi) / 2;
		if (s[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (addr - s[lo].addr > KSYM_MAX_FUNC_SIZE)
		return 0;
	*offset = addr - s[lo].addr;
	return __ksyms_start + s[lo].name;
}
