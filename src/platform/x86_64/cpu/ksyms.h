/* Kernel symbol table for backtraces (generated at link time by cpu/ksyms-gen.sh). */
#ifndef RTJS_KSYMS_H
#define RTJS_KSYMS_H
#include <stdint.h>

/* Name of the function containing addr and the offset into it; NULL if unknown. */
const char *ksym_lookup(uint64_t addr, uint64_t *offset);
unsigned ksym_count(void);

#endif
