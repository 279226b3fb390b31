/* VGA text mode mirror of the kernel log (80x25 at physical 0xb8000). */
#ifndef RTJS_VGA_H
#define RTJS_VGA_H
#include <stddef.h>

void vga_init(void);
void vga_write(const char *s, size_t n);

#endif
