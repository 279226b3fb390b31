/* Kernel command line: space-separated words, each `flag` or `key=value` (pure). */
#ifndef RTJS_CMDLINE_H
#define RTJS_CMDLINE_H
#include <stddef.h>

/* 1 if the word `flag` (or `flag=...`) is present. */
int cmdline_has(const char *cmdline, const char *flag);
/* Copies the value of `key=value` into buf (NUL-terminated, truncated to n-1);
 * returns its length, or -1 if the key is absent. */
int cmdline_get(const char *cmdline, const char *key, char *buf, size_t n);

#endif
