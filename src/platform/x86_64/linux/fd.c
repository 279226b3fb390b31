#include "linux/fd.h"

#include <errno.h>

#include "cpu/rwlock.h"
#include "mm/heap.h"

/* Room for generated files such as /proc/self/maps (one line per memory area). */
#define GENERATED_MAX (256 * 1024)

static struct {
	struct file *file;
	int cloexec;
} table[FD_MAX];
/* Readers look files up; writers change the table. Held only for the table itself: never
 * across a file's contents being generated or a reference's last put. */
static struct rwlock table_lock = RWLOCK_INIT(FILES, "file table");

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

void fd_put(struct file *f)
{
	if (__atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL) > 0)
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
	struct file *f = file_new(node, flags);
	if (!f)
		return -ENOMEM;
	write_lock(&table_lock);
	int fd = lowest_free(0);
	if (fd >= 0) {
		table[fd].file = f;
		table[fd].cloexec = cloexec;
	}
	write_unlock(&table_lock);
	if (fd < 0)
		fd_put(f);
	return fd;
}

struct file *fd_get(int fd)
{
	if (fd < 0 || fd >= FD_MAX)
		return NULL;
	read_lock(&table_lock);
	struct file *f = table[fd].file;
	if (f)
		__atomic_add_fetch(&f->refs, 1, __ATOMIC_RELAXED);
	read_unlock(&table_lock);
	return f;
}

int fd_close(int fd)
{
	if (fd < 0 || fd >= FD_MAX)
		return -EBADF;
	write_lock(&table_lock);
	struct file *f = table[fd].file;
	table[fd].file = NULL;
	write_unlock(&table_lock);
	if (!f)
		return -EBADF;
	fd_put(f);
	return 0;
}

int fd_dup(int oldfd, int newfd, int min, int cloexec)
{
	if (oldfd < 0 || oldfd >= FD_MAX || newfd >= FD_MAX)
		return -EBADF;
	struct file *replaced = NULL;
	write_lock(&table_lock);
	struct file *f = table[oldfd].file;
	if (!f) {
		newfd = -EBADF;
	} else if (newfd < 0) {
		newfd = lowest_free(min);
	} else if (table[newfd].file == f) {
		f = NULL; /* nothing changes */
	} else {
		replaced = table[newfd].file;
	}
	if (f && newfd >= 0) {
		__atomic_add_fetch(&f->refs, 1, __ATOMIC_RELAXED);
		table[newfd].file = f;
		table[newfd].cloexec = cloexec;
	}
	write_unlock(&table_lock);
	if (replaced)
		fd_put(replaced);
	return newfd;
}

int fd_cloexec(int fd, int set)
{
	if (fd < 0 || fd >= FD_MAX)
		return -EBADF;
	write_lock(&table_lock);
	int rc = table[fd].file ? table[fd].cloexec : -EBADF;
	if (table[fd].file && set >= 0)
		table[fd].cloexec = rc = set;
	write_unlock(&table_lock);
	return rc;
}
