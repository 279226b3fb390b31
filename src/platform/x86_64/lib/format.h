/* printf-style formatting without floating point (pure; host-testable).
 * Supports %d %i %u %x %X %p %s %c %%, the l/ll/z length modifiers, a width, '-' and '0'. */
#ifndef RTJS_FORMAT_H
#define RTJS_FORMAT_H
#include <stdarg.h>
#include <stddef.h>

/* Like vsnprintf: writes at most n-1 characters plus NUL, returns the length the full
 * output would have. */
int kvsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
