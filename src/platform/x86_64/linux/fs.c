#include "linux/fs.h"

#include <errno.h>
#include <string.h>

#include "cpu/smp.h"
#include "lib/format.h"
#include "lib/log.h"
#include "linux/cpio.h"
#include "linux/vma.h"
#include "mm/heap.h"

#define PATH_MAX 4096

static struct node *nodes;
static size_t count, cap;
static uint64_t next_ino = 1;

static struct node *add(const char *path, size_t len, enum node_kind kind, uint32_t mode)
{
	if (count == cap) {
		size_t ncap = cap ? cap * 2 : 64;
		struct node *n = krealloc(nodes, ncap * sizeof(*n));
		if (!n)
			return NULL;
		nodes = n;
		cap = ncap;
	}
	char *p = kmalloc(len + 2);
	if (!p)
		return NULL;
	p[0] = '/';
	memcpy(p + 1, path, len);
	p[len + 1] = 0;
	struct node *n = &nodes[count++];
	memset(n, 0, sizeof(*n));
	n->path = p;
	n->kind = kind;
	n->mode = mode;
	n->ino = next_ino++;
	return n;
}

static size_t cpu_online(char *buf, size_t cap_)
{
	unsigned n = smp_cpu_count();
	return n > 1 ? (size_t)ksnprintf(buf, cap_, "0-%u\n", n - 1) : (size_t)ksnprintf(buf, cap_, "0\n");
}

/* Synthetic files; names without the leading '/'. */
static const struct {
	const char *path;
	enum node_kind kind;
	uint32_t mode;
	size_t (*generate)(char *, size_t);
} synthetic[] = {
	{ "dev", NODE_DIR, S_IFDIR | 0755, NULL },
	{ "dev/null", NODE_NULL, S_IFCHR | 0666, NULL },
	{ "dev/urandom", NODE_RANDOM, S_IFCHR | 0666, NULL },
	{ "dev/random", NODE_RANDOM, S_IFCHR | 0666, NULL },
	{ "dev/console", NODE_CONSOLE, S_IFCHR | 0620, NULL },
	{ "proc", NODE_DIR, S_IFDIR | 0555, NULL },
	{ "proc/self", NODE_DIR, S_IFDIR | 0555, NULL },
	{ "proc/self/maps", NODE_GENERATED, S_IFREG | 0444, vma_format_maps },
	{ "sys/devices/system/cpu/online", NODE_GENERATED, S_IFREG | 0444, cpu_online },
};

int fs_init(const void *initrd, size_t len)
{
	if (!add("", 0, NODE_DIR, S_IFDIR | 0755))
		return -ENOMEM;
	for (size_t i = 0; i < sizeof(synthetic) / sizeof(synthetic[0]); i++) {
		struct node *n = add(synthetic[i].path, strlen(synthetic[i].path), synthetic[i].kind,
				     synthetic[i].mode);
		if (!n)
			return -ENOMEM;
		n->generate = synthetic[i].generate;
	}
	return initrd ? fs_add_archive(initrd, len) : 0;
}

/* The node at exactly this path (as stored: '/' then the archive's name), or NULL. */
static struct node *find(const char *path, size_t len)
{
	for (size_t i = 0; i < count; i++)
		if (strncmp(nodes[i].path + 1, path, len) == 0 && nodes[i].path[len + 1] == 0)
			return &nodes[i];
	return NULL;
}

/* One entry: a new node, or new contents for the node already at its path. */
static int add_entry(const struct cpio_entry *e)
{
	if (e->name_len == 0 || (e->name_len == 1 && e->name[0] == '.'))
		return 0;
	uint32_t type = e->mode & S_IFMT;
	if (type != S_IFDIR && type != S_IFREG) {
		kprintf("linux: initrd: '%.*s' is neither a file nor a directory (mode %o), skipped\n",
			(int)e->name_len, e->name, e->mode);
		return 0;
	}
	enum node_kind kind = type == S_IFDIR ? NODE_DIR : NODE_FILE;
	struct node *n = find(e->name, e->name_len);
	if (n) {
		n->kind = kind;
		n->mode = e->mode;
	} else if (!(n = add(e->name, e->name_len, kind, e->mode))) {
		return -ENOMEM;
	}
	n->data = e->data;
	n->size = e->size;
	return 0;
}

int fs_add_archive(const void *archive, size_t len)
{
	struct cpio_iter it;
	struct cpio_entry e;
	int rc;
	cpio_iter_init(&it, archive, len);
	do {
		while ((rc = cpio_next(&it, &e)) > 0)
			if (add_entry(&e) < 0)
				return -ENOMEM;
	} while (rc == 0 && cpio_next_archive(&it));
	if (rc < 0)
		kprintf("linux: initrd: corrupt cpio archive at byte %lu: files after it are missing\n",
			(unsigned long)it.pos);
	kprintf("linux: initrd: %lu files and directories\n", (unsigned long)count);
	return rc;
}

/* Writes the normalised form of an absolute path ("//", "/./", ".." folded) to out. */
static int normalise(const char *path, char *out, size_t cap_)
{
	size_t o = 0;
	const char *p = path;
	if (*p != '/')
		return -ENOENT;
	while (*p) {
		while (*p == '/')
			p++;
		const char *seg = p;
		while (*p && *p != '/')
			p++;
		size_t n = (size_t)(p - seg);
		if (n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
			continue;
		}
		if (o + 1 + n + 1 > cap_)
			return -ENAMETOOLONG;
		out[o++] = '/';
		memcpy(out + o, seg, n);
		o += n;
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = 0;
	return 0;
}

const struct node *fs_lookup(const char *path)
{
	char buf[PATH_MAX]; /* on the caller's kernel stack: threads look paths up side by side */
	if (normalise(path, buf, sizeof(buf)) < 0)
		return NULL;
	for (size_t i = 0; i < count; i++)
		if (strcmp(nodes[i].path, buf) == 0)
			return &nodes[i];
	return NULL;
}

size_t fs_node_count(void)
{
	return count;
}

const struct node *fs_node_at(size_t i)
{
	return i < count ? &nodes[i] : NULL;
}
