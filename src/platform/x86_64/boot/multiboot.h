/* Multiboot 1 and 2 information parsing (pure; host-testable). */
#ifndef RTJS_MULTIBOOT_H
#define RTJS_MULTIBOOT_H
#include <stddef.h>
#include <stdint.h>
#include "boot/bootinfo.h"

#define MB1_BOOT_MAGIC 0x2BADB002 /* in EAX at entry, multiboot 0.6.96 section 3.2 */
#define MB2_BOOT_MAGIC 0x36D76289 /* multiboot2 spec section 3.3 */

/* Physical memory as the parser may see it: returns a pointer to [pa, pa+len) or NULL if
 * that range cannot be read. */
typedef const void *(*mb_map_fn)(void *ctx, uint64_t pa, size_t len);

/* Warnings (things skipped) go to warn(ctx, message). */
typedef void (*mb_warn_fn)(void *ctx, const char *msg);

struct mb_env {
	mb_map_fn map;
	mb_warn_fn warn;
	void *ctx;
};

/* Fills *bi from the structure at info_pa. Returns 0, or -EINVAL for an unknown magic or
 * unreadable structure, -ENOENT if no memory map at all could be found (neither a map nor
 * the basic lower/upper sizes). */
int mb_parse(uint32_t magic, uint64_t info_pa, const struct mb_env *env, struct boot_info *bi);

#endif
