/* Kernel heap: kmalloc/kfree for any size; memory comes from the direct map, so
 * virt_to_phys works on it (allocations above 2 KiB are physically contiguous whole pages).
 * 16-byte aligned. Any CPU, interrupts on or off. */
#ifndef RTJS_HEAP_H
#define RTJS_HEAP_H
#include <stddef.h>

void *kmalloc(size_t size);   /* NULL when out of memory */
void *kzalloc(size_t size);   /* zero-filled */
void *krealloc(void *p, size_t size);
void kfree(void *p);          /* NULL is ignored; a bad pointer panics */
/* Page-aligned, physically contiguous, zeroed memory of whole pages; kfree releases it. */
void *kmalloc_pages(size_t npages);

#endif
