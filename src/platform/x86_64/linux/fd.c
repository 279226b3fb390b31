#include "linux/fd.h"

#include <errno.h>

#include "mm/heap.h"

/* Room for generated files such as /proc/self/maps (one line per memory area). */
#define GENERATED_MAX (256 * 1024)

static struct {
	struct file *file;
	int cloexec;
} table[FD_MAX];

static struct file *file_new(const struct node *node, unsigned flags)
{
	struct file *f = kzalloc(sizeof(*f));
	if (!f)
		return NULL;
	f->refs = 1;
	f->node = node;
	f->flags = flags;
	if (node->kind == NODE_GENERATED) {
		f->contents = kmalloc(GENERATED_MAX);
		if (!f->contents) {
			kfree(f);
			return NULL;
		}
		f->len = node->generate(f->contents, GENERATED_MAX);
	}
	return f;
}

static void file_put(struct file *f)
{
	if (--f->refs > 0)
		return;
	kfree(f->contents);
	kfree(f);
}

static int lowest_free(int min)
{
	for (int fd = min < 0 ? 0 : min; fd < FD_MAX; fd++)
		if (!table[fd].file)
			return fd;
	return -EMFILE;
}

int fd_init(void)
{
	const struct node *console = fs_lookup("/dev/console");
	for (int fd = 0; fd < 3; fd++)
		if (!console || fd_open(console, 0, 0) != fd)
			return -ENOMEM;
	return 0;
}

int fd_open(const struct node *node, unsigned flags, int cloexec)
{
	int fd = lowest_free(0);
	if (fd < 0)
		return fd;
	struct file *f = file_new(node, flags);
	if (!f)
		return -ENOMEM;
	table[fd].file = f;
	table[fd].cloexec = cloexec;
	return fd;
}

struct file *fd_get(int fd)
{
	return fd >= 0 && fd < FD_MAX ? table[fd].file : NULL;
}

int fd_close(int fd)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	table[fd].file = NULL;
	file_put(f);
	return 0;
}

int fd_dup(int oldfd, int newfd, int min, int cloexec)
{
	struct file *f = fd_get(oldfd);
	if (!f)
		return -EBADF;
	if (newfd < 0) {
		newfd = lowest_free(min);
		if (newfd < 0)
			return newfd;
	} else if (newfd >= FD_MAX) {
		return -EBADF;
	} else if (table[newfd].file == f) {
		return newfd;
	} else if (table[newfd].file) {
		fd_close(newfd);
	}
	f->refs++;
	table[newfd].file = f;
	table[newfd].cloexec = cloexec;
	return newfd;
}

int fd_cloexec(int fd, int set)
{
	if (!fd_get(fd))
		return -EBADF;
	if (set >= 0)
		table[fd].cloexec = set;
	return table[fd].cloexec;
}
