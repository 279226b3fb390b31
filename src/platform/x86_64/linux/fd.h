/* The program's open files. An fd that was never opened (or was closed) is refused with
 * -EBADF everywhere: a call that "succeeds" on a bad fd sends programs into loops.
 *
 * The table has its own lock; a struct file is reference-counted, so that a thread's
 * read on a file another thread closes meanwhile finishes on the file it started with.
 * Threads sharing one open file share its offset without ordering their updates (Linux
 * orders those of regular files; the runtime reads a file from one thread). */
#ifndef RTJS_LINUX_FD_H
#define RTJS_LINUX_FD_H

#include <stddef.h>
#include <stdint.h>

#include "linux/fs.h"

#define FD_MAX 1024

struct file {
	int refs;
	const struct node *node;
	uint64_t off;
	unsigned flags;  /* O_* status flags (O_NONBLOCK, O_APPEND...) */
	char *contents;  /* generated files: what open saw */
	size_t len;
};

/* fds 0, 1 and 2 on the console. */
int fd_init(void);
/* The lowest free fd >= min bound to a new file for node; -EMFILE, -ENOMEM. */
int fd_open(const struct node *node, unsigned flags, int cloexec);
/* The file behind fd with a reference the caller gives back with fd_put; NULL: -EBADF. */
struct file *fd_get(int fd);
void fd_put(struct file *f);
int fd_close(int fd);
/* Makes newfd (or the lowest free fd >= min when newfd < 0) refer to oldfd's file. */
int fd_dup(int oldfd, int newfd, int min, int cloexec);
int fd_cloexec(int fd, int set /* -1: query */);

#endif
