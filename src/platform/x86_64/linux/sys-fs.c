/* File system calls over the initrd, the synthetic files and the console. */
#include <errno.h>
#include <string.h>

#include "cpu/features.h"
#include "dev/random.h"
#include "lib/log.h"
#include "linux/console.h"
#include "linux/fd.h"
#include "linux/fs.h"
#include "linux/process.h"
#include "linux/syscall.h"
#include "time/clock.h"

/* Linux UAPI values (include/uapi/asm-generic/fcntl.h, ioctls.h, poll.h). */
#define O_ACCMODE 3
#define O_WRONLY 1
#define O_RDWR 2
#define O_CREAT 0100
#define O_TRUNC 01000
#define O_APPEND 02000
#define O_NONBLOCK 04000
#define O_DIRECTORY 0200000
#define O_CLOEXEC 02000000
#define AT_FDCWD (-100)
#define AT_EMPTY_PATH 0x1000
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC 1
#define TCGETS 0x5401
#define TCSETS 0x5402
#define TCSETSW 0x5403
#define TCSETSF 0x5404
#define TIOCGWINSZ 0x5413
#define FIONBIO 0x5421
#define POLLIN 0x1
#define POLLOUT 0x4
#define POLLNVAL 0x20
#define W_OK 2
#define PATH_MAX 4096
#define CONSOLE_ROWS 25
#define CONSOLE_COLS 80

/* struct stat as x86_64 Linux lays it out (arch/x86/include/uapi/asm/stat.h). */
struct linux_stat {
	uint64_t dev, ino, nlink;
	uint32_t mode, uid, gid, pad0;
	uint64_t rdev;
	int64_t size, blksize, blocks;
	uint64_t atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
	int64_t unused[3];
};

struct iovec {
	uint64_t base, len;
};

struct pollfd {
	int32_t fd;
	int16_t events, revents;
};

static int path_arg(int dirfd, user_ptr upath, char *buf)
{
	int rc = user_string(upath, buf, PATH_MAX);
	if (rc < 0)
		return rc;
	if (buf[0] == '/')
		return 0;
	/* Relative: from the directory dirfd names, or the working directory "/". */
	const char *dir = "";
	if (dirfd != AT_FDCWD) {
		struct file *f = fd_get(dirfd);
		if (!f)
			return -EBADF;
		const struct node *n = f->node; /* the initrd's nodes live as long as the system */
		fd_put(f);
		if (n->kind != NODE_DIR)
			return -ENOTDIR;
		dir = n->path;
	}
	size_t d = strlen(dir), n = strlen(buf);
	if (d && dir[d - 1] == '/')
		d--; /* the root, "/" */
	if (d + n + 2 > PATH_MAX)
		return -ENAMETOOLONG;
	memmove(buf + d + 1, buf, n + 1);
	memcpy(buf, dir, d);
	buf[d] = '/';
	return 0;
}

/* The initrd node a path argument names, in *out (NULL: none). Returns 0 or -errno. */
static int lookup_arg(int dirfd, user_ptr upath, const struct node **out)
{
	char path[PATH_MAX];
	int rc = path_arg(dirfd, upath, path);
	if (rc < 0)
		return rc;
	*out = fs_lookup(path);
	return 0;
}

/* The devices take writes; the initrd's files and directories are read-only. */
static int node_writable(const struct node *n)
{
	return n->kind == NODE_NULL || n->kind == NODE_CONSOLE || n->kind == NODE_RANDOM;
}

static long do_open(int dirfd, user_ptr upath, unsigned flags)
{
	const struct node *n;
	int rc = lookup_arg(dirfd, upath, &n);
	if (rc < 0)
		return rc;
	if (!n)
		return (flags & O_CREAT) ? -EROFS : -ENOENT;
	if ((flags & O_DIRECTORY) && n->kind != NODE_DIR)
		return -ENOTDIR;
	int writing = (flags & O_ACCMODE) != 0 || (flags & (O_CREAT | O_TRUNC));
	if (writing && !node_writable(n))
		return n->kind == NODE_DIR ? -EISDIR : -EROFS;
	return fd_open(n, flags & ~(unsigned)O_CLOEXEC, (flags & O_CLOEXEC) != 0);
}

long sys_open(user_ptr path, uint64_t flags)
{
	return do_open(AT_FDCWD, path, (unsigned)flags);
}

long sys_openat(uint64_t dirfd, user_ptr path, uint64_t flags)
{
	return do_open((int)dirfd, path, (unsigned)flags);
}

long sys_close(uint64_t fd)
{
	return fd_close((int)fd);
}

/* Device bytes pass through the kernel's stack in pieces of this size on their way between a
 * device and the program's memory, so that the copy that may fault (user_copy) is never made
 * by a driver holding its lock. */
#define FILE_BOUNCE 256

long random_read_user(char *buf, size_t n)
{
	char bounce[FILE_BOUNCE];
	for (size_t done = 0; done < n;) {
		size_t c = n - done < sizeof(bounce) ? n - done : sizeof(bounce);
		if (random_read(bounce, c) != 0)
			return done ? (long)done : -EIO;
		if (user_copy(buf + done, bounce, c) < 0)
			return done ? (long)done : -EFAULT;
		done += c;
	}
	return (long)n;
}

/* Reads from f at offset off (no seek) into the program's buf, which the caller checked with
 * user_access; the console ignores off. */
static long file_read(struct file *f, char *buf, size_t n, uint64_t off)
{
	const struct node *node = f->node;
	const uint8_t *src;
	size_t size;
	switch (node->kind) {
	case NODE_CONSOLE:
		return console_read_user(buf, n, (f->flags & O_NONBLOCK) != 0);
	case NODE_NULL:
		return 0;
	case NODE_RANDOM:
		return random_read_user(buf, n);
	case NODE_DIR:
		return -EISDIR;
	case NODE_GENERATED:
		src = (const uint8_t *)f->contents;
		size = f->len;
		break;
	default:
		src = node->data;
		size = node->size;
		break;
	}
	if (off >= size)
		return 0;
	if (n > size - off)
		n = size - off;
	return user_copy(buf, src + off, n) < 0 ? -EFAULT : (long)n;
}

/* The program's bytes at buf (checked with user_access) to a device, FILE_BOUNCE at a time:
 * what was taken before a fault counts, as in a short write. */
static long device_write_user(void (*put)(const char *, size_t), const char *buf, size_t n)
{
	char bounce[FILE_BOUNCE];
	for (size_t done = 0; done < n;) {
		size_t c = n - done < sizeof(bounce) ? n - done : sizeof(bounce);
		if (user_copy(bounce, buf + done, c) < 0)
			return done ? (long)done : -EFAULT;
		put(bounce, c);
		done += c;
	}
	return (long)n;
}

static void random_put(const char *buf, size_t n)
{
	random_add(buf, n);
}

/* Writes the program's buf (checked with user_access) to f. */
static long file_write(struct file *f, const char *buf, size_t n)
{
	switch (f->node->kind) {
	case NODE_CONSOLE:
		return console_write_user(buf, n);
	case NODE_NULL:
		return (long)n;
	case NODE_RANDOM: /* as Linux: mixed in, and nothing read back can reveal it */
		return device_write_user(random_put, buf, n);
	default:
		return -EBADF; /* opened read-only: the initrd cannot be written */
	}
}

static int seekable(const struct file *f)
{
	return f->node->kind == NODE_FILE || f->node->kind == NODE_GENERATED;
}

/* The calls on an fd run on the file with a reference held (linux/fd.h): each handler is
 * a function of the file, called through with_file. */
typedef long (*file_call)(struct file *f, user_ptr p, uint64_t a, uint64_t b);

static long with_file(uint64_t fd, file_call call, user_ptr p, uint64_t a, uint64_t b)
{
	struct file *f = fd_get((int)fd);
	if (!f)
		return -EBADF;
	long rc = call(f, p, a, b);
	fd_put(f);
	return rc;
}

static long read_file(struct file *f, user_ptr ubuf, uint64_t n, uint64_t unused)
{
	(void)unused;
	char *buf = user_access(ubuf, n, 1);
	if (!buf)
		return -EFAULT;
	long got = file_read(f, buf, n, f->off);
	if (got > 0 && seekable(f))
		f->off += (uint64_t)got;
	return got;
}

long sys_read(uint64_t fd, user_ptr ubuf, uint64_t n)
{
	return with_file(fd, read_file, ubuf, n, 0);
}

static long pread_file(struct file *f, user_ptr ubuf, uint64_t n, uint64_t off)
{
	if (!seekable(f))
		return -ESPIPE;
	char *buf = user_access(ubuf, n, 1);
	if (!buf)
		return -EFAULT;
	return file_read(f, buf, n, off);
}

long sys_pread64(uint64_t fd, user_ptr ubuf, uint64_t n, uint64_t off)
{
	return with_file(fd, pread_file, ubuf, n, off);
}

static long write_file(struct file *f, user_ptr ubuf, uint64_t n, uint64_t unused)
{
	(void)unused;
	const char *buf = user_access(ubuf, n, 0);
	if (!buf)
		return -EFAULT;
	return file_write(f, buf, n);
}

long sys_write(uint64_t fd, user_ptr ubuf, uint64_t n)
{
	return with_file(fd, write_file, ubuf, n, 0);
}

static long vectored(struct file *f, user_ptr uiov, uint64_t count, uint64_t write)
{
	if (count > 1024)
		return -EINVAL;
	if (!user_access(uiov, count * sizeof(struct iovec), 0))
		return -EFAULT;
	long total = 0;
	for (uint64_t i = 0; i < count; i++) {
		struct iovec one;
		if (user_copy_in(&one, user_offset(uiov, i * sizeof(one)), sizeof(one)) < 0)
			return total ? total : -EFAULT;
		char *buf = user_access(user_at(one.base), one.len, !write);
		if (!buf)
			return total ? total : -EFAULT;
		long n = write ? file_write(f, buf, one.len) : file_read(f, buf, one.len, f->off);
		if (n < 0)
			return total ? total : n;
		if (!write && seekable(f))
			f->off += (uint64_t)n;
		total += n;
		if ((uint64_t)n < one.len)
			break;
	}
	return total;
}

long sys_readv(uint64_t fd, user_ptr iov, uint64_t count)
{
	return with_file(fd, vectored, iov, count, 0);
}

long sys_writev(uint64_t fd, user_ptr iov, uint64_t count)
{
	return with_file(fd, vectored, iov, count, 1);
}

static long seek_file(struct file *f, user_ptr unused, uint64_t off, uint64_t whence)
{
	(void)unused;
	if (!seekable(f))
		return -ESPIPE;
	int64_t base;
	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = (int64_t)f->off; break;
	case SEEK_END: base = (int64_t)(f->node->kind == NODE_GENERATED ? f->len : f->node->size); break;
	default: return -EINVAL;
	}
	int64_t pos = base + (int64_t)off;
	if (pos < 0)
		return -EINVAL;
	f->off = (uint64_t)pos;
	return pos;
}

long sys_lseek(uint64_t fd, uint64_t off, uint64_t whence)
{
	return with_file(fd, seek_file, user_at(0), off, whence);
}

static void fill_stat(const struct node *n, struct linux_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->dev = 1;
	st->ino = n->ino;
	st->nlink = 1;
	st->mode = n->mode;
	st->size = n->kind == NODE_FILE ? (int64_t)n->size : 0;
	st->blksize = 4096;
	st->blocks = (st->size + 511) / 512;
	if ((n->mode & S_IFMT) == S_IFCHR)
		st->rdev = 1;
}

/* The stat of node n into the program's ust. */
static long put_stat(const struct node *n, user_ptr ust)
{
	struct linux_stat st;
	fill_stat(n, &st);
	return user_copy_out(ust, &st, sizeof(st));
}

static long stat_path(int dirfd, user_ptr upath, user_ptr ust, unsigned flags)
{
	if (!user_access(ust, sizeof(struct linux_stat), 1))
		return -EFAULT;
	char path[PATH_MAX];
	int rc = user_string(upath, path, sizeof(path));
	if (rc < 0)
		return rc;
	if (path[0] == 0 && (flags & AT_EMPTY_PATH)) {
		struct file *f = fd_get(dirfd);
		if (!f)
			return -EBADF;
		long put = put_stat(f->node, ust);
		fd_put(f);
		return put;
	}
	rc = path_arg(dirfd, upath, path);
	if (rc < 0)
		return rc;
	const struct node *n = fs_lookup(path);
	if (!n)
		return -ENOENT;
	return put_stat(n, ust);
}

static long stat_file(struct file *f, user_ptr ust, uint64_t unused1, uint64_t unused2)
{
	(void)unused1, (void)unused2;
	return put_stat(f->node, ust);
}

long sys_fstat(uint64_t fd, user_ptr ust)
{
	return with_file(fd, stat_file, ust, 0, 0);
}

long sys_stat(user_ptr path, user_ptr st)
{
	return stat_path(AT_FDCWD, path, st, 0);
}

long sys_lstat(user_ptr path, user_ptr st)
{
	return stat_path(AT_FDCWD, path, st, 0); /* the initrd has no symlinks */
}

long sys_newfstatat(uint64_t dirfd, user_ptr path, user_ptr st, uint64_t flags)
{
	return stat_path((int)dirfd, path, st, (unsigned)flags);
}

static long do_access(int dirfd, user_ptr upath, unsigned mode)
{
	const struct node *n;
	int rc = lookup_arg(dirfd, upath, &n);
	if (rc < 0)
		return rc;
	if (!n)
		return -ENOENT;
	if ((mode & W_OK) && !node_writable(n))
		return -EROFS;
	return 0;
}

long sys_access(user_ptr path, uint64_t mode)
{
	return do_access(AT_FDCWD, path, (unsigned)mode);
}

long sys_faccessat(uint64_t dirfd, user_ptr path, uint64_t mode)
{
	return do_access((int)dirfd, path, (unsigned)mode);
}

long sys_faccessat2(uint64_t dirfd, user_ptr path, uint64_t mode)
{
	return do_access((int)dirfd, path, (unsigned)mode);
}

long sys_getcwd(user_ptr ubuf, uint64_t size)
{
	if (size < 2)
		return -ERANGE;
	return user_copy_out(ubuf, "/", 2) < 0 ? -EFAULT : 2;
}

static long do_readlink(int dirfd, user_ptr upath, user_ptr ubuf, uint64_t size)
{
	char path[PATH_MAX];
	int rc = path_arg(dirfd, upath, path);
	if (rc < 0)
		return rc;
	if (strcmp(path, "/proc/self/exe") != 0)
		return fs_lookup(path) ? -EINVAL : -ENOENT; /* nothing else is a link */
	size_t n = strlen(current_process.path);
	if (n > size)
		n = size;
	return user_copy_out(ubuf, current_process.path, n) < 0 ? -EFAULT : (long)n;
}

long sys_readlink(user_ptr path, user_ptr buf, uint64_t size)
{
	return do_readlink(AT_FDCWD, path, buf, size);
}

long sys_readlinkat(uint64_t dirfd, user_ptr path, user_ptr buf, uint64_t size)
{
	return do_readlink((int)dirfd, path, buf, size);
}

static long ioctl_file(struct file *f, user_ptr unused, uint64_t req, uint64_t arg)
{
	(void)unused;
	if (req == FIONBIO) {
		int on;
		if (user_copy_in(&on, user_at(arg), sizeof(on)) < 0)
			return -EFAULT;
		f->flags = on ? f->flags | O_NONBLOCK : f->flags & ~(unsigned)O_NONBLOCK;
		return 0;
	}
	if (f->node->kind != NODE_CONSOLE || !console_is_tty())
		return -ENOTTY;
	switch (req) {
	case TCGETS: {
		/* struct termios (asm-generic/termbits.h): 4 flag words, c_line, 19 cc. */
		static const uint8_t t[36];
		return user_copy_out(user_at(arg), t, sizeof(t));
	}
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return 0; /* the serial line has no line discipline to change */
	case TIOCGWINSZ: {
		uint16_t ws[4] = { CONSOLE_ROWS, CONSOLE_COLS, 0, 0 }; /* struct winsize */
		return user_copy_out(user_at(arg), ws, sizeof(ws));
	}
	default:
		return -ENOTTY;
	}
}

long sys_ioctl(uint64_t fd, uint64_t req, uint64_t arg)
{
	return with_file(fd, ioctl_file, user_at(0), req, arg);
}

long sys_fcntl(uint64_t fd, uint64_t cmd, uint64_t arg)
{
	int rc;
	switch (cmd) {
	case F_DUPFD: return fd_dup((int)fd, -1, (int)arg, 0);
	case F_DUPFD_CLOEXEC: return fd_dup((int)fd, -1, (int)arg, 1);
	case F_GETFD:
		rc = fd_cloexec((int)fd, -1);
		return rc < 0 ? rc : rc ? FD_CLOEXEC : 0;
	case F_SETFD: return fd_cloexec((int)fd, (arg & FD_CLOEXEC) != 0) < 0 ? -EBADF : 0;
	case F_GETFL:
	case F_SETFL: break;
	default: return fd_cloexec((int)fd, -1) < 0 ? -EBADF : -EINVAL;
	}
	struct file *f = fd_get((int)fd);
	if (!f)
		return -EBADF;
	long flags = f->flags;
	if (cmd == F_SETFL)
		f->flags = (f->flags & O_ACCMODE) | ((unsigned)arg & (O_NONBLOCK | O_APPEND));
	fd_put(f);
	return cmd == F_SETFL ? 0 : flags;
}

long sys_dup(uint64_t fd)
{
	return fd_dup((int)fd, -1, 0, 0);
}

long sys_dup2(uint64_t fd, uint64_t newfd)
{
	return fd_dup((int)fd, (int)newfd, 0, 0);
}

long sys_dup3(uint64_t fd, uint64_t newfd, uint64_t flags)
{
	if (fd == newfd)
		return -EINVAL;
	return fd_dup((int)fd, (int)newfd, 0, (flags & O_CLOEXEC) != 0);
}

/* struct linux_dirent64 (getdents64(2)): d_ino, d_off, d_reclen, d_type, then the name. */
#define DIRENT64_NAME 19
#define DIRENT64_ALIGN 8
#define DIRENT64_NAME_MAX 255 /* NAME_MAX (linux/limits.h) */
#define DT_CHR 2
#define DT_DIR 4
#define DT_REG 8

/* The name of `n` if it lies directly in directory `dir` (both absolute), else NULL. */
static const char *child_name(const char *dir, const struct node *n)
{
	size_t len = strlen(dir);
	const char *p = n->path;
	if (len == 1) /* "/" */
		p += 1;
	else if (strncmp(p, dir, len) == 0 && p[len] == '/')
		p += len + 1;
	else
		return NULL;
	return *p && !strchr(p, '/') ? p : NULL;
}

/* Lists the directory's entries, the file offset being the index of the next node to look
 * at, so a listing continues across calls. 0 at the end. */
static long getdents_file(struct file *f, user_ptr ubuf, uint64_t size, uint64_t unused)
{
	(void)unused;
	if (f->node->kind != NODE_DIR)
		return -ENOTDIR;
	uint8_t *out = user_access(ubuf, size, 1);
	if (!out && size)
		return -EFAULT;
	size_t used = 0;
	const struct node *n;
	for (; (n = fs_node_at(f->off)) != NULL; f->off++) {
		const char *name = child_name(f->node->path, n);
		if (!name)
			continue;
		size_t namelen = strlen(name);
		size_t reclen = (DIRENT64_NAME + namelen + 1 + DIRENT64_ALIGN - 1) & ~(size_t)(DIRENT64_ALIGN - 1);
		if (used + reclen > size)
			return used ? (long)used : -EINVAL; /* the next entry does not fit */
		/* Built here and copied out: the program may unmap its buffer meanwhile. */
		uint8_t d[DIRENT64_NAME + DIRENT64_NAME_MAX + 1 + DIRENT64_ALIGN];
		if (reclen > sizeof(d))
			return used ? (long)used : -ENAMETOOLONG;
		uint64_t ino = n->ino, off = f->off + 1;
		uint16_t rl = (uint16_t)reclen;
		memcpy(d, &ino, sizeof(ino));
		memcpy(d + 8, &off, sizeof(off));
		memcpy(d + 16, &rl, sizeof(rl));
		d[18] = n->kind == NODE_DIR ? DT_DIR : n->kind == NODE_FILE ? DT_REG : DT_CHR;
		memcpy(d + DIRENT64_NAME, name, namelen);
		memset(d + DIRENT64_NAME + namelen, 0, reclen - DIRENT64_NAME - namelen);
		if (user_copy(out + used, d, reclen) < 0)
			return used ? (long)used : -EFAULT;
		used += reclen;
	}
	return (long)used;
}

long sys_getdents64(uint64_t fd, user_ptr ubuf, uint64_t size)
{
	return with_file(fd, getdents_file, ubuf, size, 0);
}

/* poll/ppoll: only the console can make a program wait; files are always ready. */
static long do_poll(user_ptr ufds, uint64_t nfds, uint64_t deadline_ns)
{
	if (nfds > FD_MAX)
		return -EINVAL;
	struct pollfd *fds = user_access(ufds, nfds * sizeof(struct pollfd), 1);
	if (!fds && nfds)
		return -EFAULT;
	for (;;) {
		long ready = 0;
		for (uint64_t i = 0; i < nfds; i++) {
			/* Each entry is copied in and its answer out: the program may unmap them. */
			struct pollfd one;
			if (user_copy(&one, &fds[i], sizeof(one)) < 0)
				return -EFAULT;
			one.revents = 0;
			if (one.fd >= 0) {
				struct file *f = fd_get(one.fd);
				if (!f)
					one.revents = POLLNVAL;
				else if (f->node->kind != NODE_CONSOLE || !(one.events & POLLIN) || console_pending())
					one.revents = one.events & (POLLIN | POLLOUT);
				if (f)
					fd_put(f);
			}
			if (user_copy(&fds[i].revents, &one.revents, sizeof(one.revents)) < 0)
				return -EFAULT;
			if (one.revents)
				ready++;
		}
		if (ready || clock_monotonic_ns() >= deadline_ns)
			return ready;
		console_wait(deadline_ns);
	}
}

long sys_poll(user_ptr fds, uint64_t nfds, uint64_t timeout_ms)
{
	int64_t ms = (int32_t)timeout_ms;
	uint64_t deadline = ms < 0 ? UINT64_MAX : clock_monotonic_ns() + (uint64_t)ms * NS_PER_MS;
	return do_poll(fds, nfds, deadline);
}

long sys_ppoll(user_ptr fds, uint64_t nfds, user_ptr uts)
{
	uint64_t deadline = UINT64_MAX;
	if (uts.addr) {
		int64_t ns;
		int rc = user_timespec(uts, &ns);
		if (rc < 0)
			return rc;
		uint64_t now = clock_monotonic_ns();
		deadline = (uint64_t)ns > UINT64_MAX - now ? UINT64_MAX : now + (uint64_t)ns;
	}
	return do_poll(fds, nfds, deadline);
}
