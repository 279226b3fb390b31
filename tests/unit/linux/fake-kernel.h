/* Host stand-ins for the kernel services the Linux layer's pure-ish files call (page
 * tables, page allocator, heap, log): enough to run vma.c, elf.c and fs.c in cmocka. The
 * page "tables" are a list of (va, pa, flags); physical pages are host memory, numbered so
 * that phys_to_virt() (mm/paging.h) lands on them. */
#ifndef RTJS_TEST_FAKE_KERNEL_H
#define RTJS_TEST_FAKE_KERNEL_H

#include <stddef.h>
#include <stdint.h>

void fake_reset(void);
size_t fake_pages_live(void);   /* physical pages allocated and not freed */
size_t fake_pages_mapped(void); /* present mappings */
/* VM_* flags of the mapping at va, or -1 when nothing is mapped there. */
int fake_page_flags(uint64_t va);
/* Host pointer to the page mapped at va (page aligned), NULL when unmapped. */
void *fake_page(uint64_t va);
size_t fake_shootdowns(void);
/* The last line the code logged with kprintf. */
const char *fake_last_log(void);
/* Reads a whole host file into memory (malloc'd); NULL on error. */
void *fake_read_file(const char *path, size_t *len);

#endif
