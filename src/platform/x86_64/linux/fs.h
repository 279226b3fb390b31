/* The program's file system: the initrd, read-only, plus a few synthetic files
 * (/dev/null, /dev/urandom, /dev/random, /dev/console, /proc/self/maps,
 * /sys/devices/system/cpu/online). Paths are absolute; the working directory is "/". */
#ifndef RTJS_LINUX_FS_H
#define RTJS_LINUX_FS_H

#include <stddef.h>
#include <stdint.h>

#define S_IFMT 0170000
#define S_IFREG 0100000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define S_IFLNK 0120000

enum node_kind {
	NODE_FILE,      /* bytes in the initrd */
	NODE_DIR,
	NODE_NULL,      /* /dev/null */
	NODE_RANDOM,    /* /dev/urandom, /dev/random */
	NODE_CONSOLE,   /* /dev/console: the serial line */
	NODE_GENERATED, /* contents made at open: /proc/self/maps, cpu/online */
};

struct node {
	const char *path; /* absolute, NUL-terminated, owned */
	enum node_kind kind;
	uint32_t mode;
	uint64_t ino;     /* unique per node: ld.so compares (st_dev, st_ino) */
	const uint8_t *data;
	size_t size;
	size_t (*generate)(char *buf, size_t cap); /* NODE_GENERATED: fills buf, returns length */
};

/* Builds the tree from the initrd (may be empty) and the synthetic files. Returns 0 or a
 * negative errno (a corrupt archive: what was read before the damage is kept, logged). */
int fs_init(const void *initrd, size_t len);
/* The node at an absolute path (no "." or ".." handling beyond normalising "//", "/./");
 * NULL when there is none. */
const struct node *fs_lookup(const char *path);
/* Adds the files of another archive (or of several concatenated ones): a path already
 * present gets the new contents, as when Linux unpacks a second initramfs over the first.
 * 0 or a negative errno, as fs_init. */
int fs_add_archive(const void *archive, size_t len);
size_t fs_node_count(void);
/* Node number i (0 <= i < fs_node_count(), in the order added), for directory listings; NULL past the end. */
const struct node *fs_node_at(size_t i);

#endif
