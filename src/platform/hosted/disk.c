/* The disk behind the simulated virtio-blk device (disk.h): requests arrive from the
 * device (any thread, device lock held) on a locked list, an async handle wakes the loop
 * thread, and each becomes a uv_fs_* call on the image; completions go back through
 * virtio_blk_complete. */
#define _GNU_SOURCE
#include "disk.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include "loop-thread.h"

struct disk_op {
	uv_fs_t fs;
	uv_work_t work;
	struct virtio_blk_req *req;
	int result;
	uv_buf_t bufs[VIRTIO_ELEM_MAX_SEGS];
};

static struct {
	struct loop_thread lt;
	pthread_mutex_t lock; /* the list below */
	struct virtio_blk_req *head, **tail;
	struct virtio_blk_state *dev;
	int fd;
	/* The injected fault (disk.h) and the requests counted towards it (loop thread only). */
	enum disk_fault fault;
	uint64_t fault_at, reads_seen, writes_seen, all_seen;
	struct virtio_blk_req *hung; /* requests a dead device never answers, freed at stop */
} disk = { .lock = PTHREAD_MUTEX_INITIALIZER, .fd = -1 };

/* ",fault=KIND@N" (disk.h); 0 or -EINVAL. */
static int parse_fault(const char *opt, size_t len, struct disk_config *cfg)
{
	static const struct { const char *name; enum disk_fault kind; } kinds[] = {
		{ "write-ioerr", DISK_FAULT_WRITE_IOERR }, { "read-ioerr", DISK_FAULT_READ_IOERR },
		{ "unsupp", DISK_FAULT_UNSUPP }, { "hang", DISK_FAULT_HANG },
	};
	const char *at = memchr(opt, '@', len);
	if (!at || at + 1 == opt + len)
		return -EINVAL;
	uint64_t n = 0;
	for (const char *p = at + 1; p < opt + len; p++) {
		if (*p < '0' || *p > '9' || n > UINT32_MAX)
			return -EINVAL;
		n = n * 10 + (uint64_t)(*p - '0');
	}
	for (unsigned k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		if (strlen(kinds[k].name) == (size_t)(at - opt) && !strncmp(opt, kinds[k].name, (size_t)(at - opt))) {
			cfg->fault = kinds[k].kind;
			cfg->fault_at = n;
			return 0;
		}
	}
	return -EINVAL;
}

int disk_parse(const char *spec, struct disk_config *cfg, char *err, size_t errlen)
{
	static const char fault_opt[] = "fault=";
	memset(cfg, 0, sizeof *cfg);
	const char *comma = strchr(spec, ',');
	size_t len = comma ? (size_t)(comma - spec) : strlen(spec);
	if (len == 0 || len >= sizeof cfg->path) {
		snprintf(err, errlen, "expected FILE[,ro][,fault=KIND@N]");
		return -EINVAL;
	}
	memcpy(cfg->path, spec, len);
	while (comma) {
		const char *opt = comma + 1;
		comma = strchr(opt, ',');
		size_t olen = comma ? (size_t)(comma - opt) : strlen(opt);
		if (olen == 2 && !strncmp(opt, "ro", 2)) {
			cfg->read_only = 1;
		} else if (olen > sizeof fault_opt - 1 && !strncmp(opt, fault_opt, sizeof fault_opt - 1)) {
			if (parse_fault(opt + sizeof fault_opt - 1, olen - (sizeof fault_opt - 1), cfg)) {
				snprintf(err, errlen, "bad fault '%.*s': expected write-ioerr, read-ioerr, unsupp or hang @N",
					 (int)olen, opt);
				return -EINVAL;
			}
		} else {
			snprintf(err, errlen, "unknown option '%.*s' (ro, fault=KIND@N)", (int)olen, opt);
			return -EINVAL;
		}
	}
	return 0;
}

int disk_open(const struct disk_config *cfg, uint64_t *capacity, char *err, size_t errlen)
{
	int fd = open(cfg->path, (cfg->read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st)) {
		int e = errno;
		snprintf(err, errlen, "%s", strerror(e));
		if (fd >= 0)
			close(fd);
		return -e;
	}
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
		snprintf(err, errlen, "not a file or block device");
		close(fd);
		return -EINVAL;
	}
	if (st.st_size < VIRTIO_BLK_SECTOR) {
		snprintf(err, errlen, "smaller than one 512-byte sector");
		close(fd);
		return -EINVAL;
	}
	disk.fd = fd;
	disk.fault = cfg->fault;
	disk.fault_at = cfg->fault_at;
	*capacity = (uint64_t)st.st_size / VIRTIO_BLK_SECTOR;
	return 0;
}

static void finish(struct disk_op *op, uint8_t status)
{
	virtio_blk_complete(disk.dev, op->req, status);
	free(op);
}

static void on_fs(uv_fs_t *fs)
{
	struct disk_op *op = (struct disk_op *)fs;
	ssize_t r = fs->result;
	struct virtio_blk_req *req = op->req;
	uint8_t status = VIRTIO_BLK_S_OK;
	if (r < 0) {
		fprintf(stderr, "rtjs-sim: disk: sector %llu: %s\n", (unsigned long long)req->sector, uv_strerror((int)r));
		status = VIRTIO_BLK_S_IOERR;
	} else if (req->type != VIRTIO_BLK_T_FLUSH && (size_t)r != req->data_len) {
		status = VIRTIO_BLK_S_IOERR; /* the image shrank under us */
	}
	uv_fs_req_cleanup(fs);
	finish(op, status);
}

/* Discard: punch a hole (the image stays the same size), on the loop's thread pool. */
static void discard_work(uv_work_t *w)
{
	struct disk_op *op = (struct disk_op *)((char *)w - offsetof(struct disk_op, work));
	off_t at = (off_t)op->req->sector * VIRTIO_BLK_SECTOR;
	op->result = fallocate(disk.fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, at, op->req->data_len) ? -errno : 0;
	if (op->result == -EOPNOTSUPP)
		op->result = 0; /* a hint the host's file system cannot take: nothing is lost */
}

static void discard_done(uv_work_t *w, int status)
{
	struct disk_op *op = (struct disk_op *)((char *)w - offsetof(struct disk_op, work));
	finish(op, status || op->result ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK);
}

/* The injected fault's answer to `req`: a status, -1 for none, or -2 for no answer at all. */
static int injected(const struct virtio_blk_req *req)
{
	uint64_t n = disk.all_seen++;
	switch (disk.fault) {
	case DISK_FAULT_WRITE_IOERR:
		return req->type == VIRTIO_BLK_T_OUT && disk.writes_seen++ == disk.fault_at ? VIRTIO_BLK_S_IOERR : -1;
	case DISK_FAULT_READ_IOERR:
		return req->type == VIRTIO_BLK_T_IN && disk.reads_seen++ == disk.fault_at ? VIRTIO_BLK_S_IOERR : -1;
	case DISK_FAULT_UNSUPP:
		return n == disk.fault_at ? VIRTIO_BLK_S_UNSUPP : -1;
	case DISK_FAULT_HANG:
		return n >= disk.fault_at ? -2 : -1;
	default:
		return -1;
	}
}

static void start(struct virtio_blk_req *req)
{
	int fault = injected(req);
	if (fault == -2) {
		fprintf(stderr, "rtjs-sim: disk: request at sector %llu not answered (fault=hang)\n",
			(unsigned long long)req->sector);
		req->next = disk.hung;
		disk.hung = req;
		return;
	}
	if (fault >= 0) {
		fprintf(stderr, "rtjs-sim: disk: request at sector %llu answered with status %d (injected fault)\n",
			(unsigned long long)req->sector, fault);
		virtio_blk_complete(disk.dev, req, (uint8_t)fault);
		return;
	}
	struct disk_op *op = calloc(1, sizeof *op);
	if (!op) {
		virtio_blk_complete(disk.dev, req, VIRTIO_BLK_S_IOERR);
		return;
	}
	op->req = req;
	for (unsigned i = 0; i < req->nseg; i++)
		op->bufs[i] = uv_buf_init((char *)req->seg[i].p, req->seg[i].len);
	int64_t at = (int64_t)req->sector * VIRTIO_BLK_SECTOR;
	int rc = 0;
	switch (req->type) {
	case VIRTIO_BLK_T_IN:
		rc = uv_fs_read(&disk.lt.loop, &op->fs, disk.fd, op->bufs, req->nseg, at, on_fs);
		break;
	case VIRTIO_BLK_T_OUT:
		rc = uv_fs_write(&disk.lt.loop, &op->fs, disk.fd, op->bufs, req->nseg, at, on_fs);
		break;
	case VIRTIO_BLK_T_FLUSH:
		rc = uv_fs_fdatasync(&disk.lt.loop, &op->fs, disk.fd, on_fs);
		break;
	case VIRTIO_BLK_T_DISCARD:
		rc = uv_queue_work(&disk.lt.loop, &op->work, discard_work, discard_done);
		break;
	default:
		rc = -EINVAL;
	}
	if (rc)
		finish(op, VIRTIO_BLK_S_IOERR);
}

/* The device's submit hook: device lock held, any thread. */
static void submit(void *ctx, struct virtio_blk_req *req)
{
	(void)ctx;
	pthread_mutex_lock(&disk.lock);
	req->next = NULL;
	*disk.tail = req;
	disk.tail = &req->next;
	pthread_mutex_unlock(&disk.lock);
	loop_thread_kick(&disk.lt);
}

static void on_kick(void *ctx)
{
	(void)ctx;
	pthread_mutex_lock(&disk.lock);
	struct virtio_blk_req *list = disk.head;
	disk.head = NULL;
	disk.tail = &disk.head;
	pthread_mutex_unlock(&disk.lock);
	while (list) {
		struct virtio_blk_req *next = list->next;
		start(list);
		list = next;
	}
}

int disk_start(struct virtio_blk_state *dev)
{
	disk.dev = dev;
	disk.head = NULL;
	disk.tail = &disk.head;
	dev->submit = submit;
	dev->backend = &disk;
	int rc = loop_thread_init(&disk.lt, on_kick, NULL, NULL);
	return rc ? rc : loop_thread_start(&disk.lt, "disk");
}

void disk_stop(void)
{
	loop_thread_stop(&disk.lt);
	while (disk.hung) {
		struct virtio_blk_req *next = disk.hung->next;
		free(disk.hung);
		disk.hung = next;
	}
	if (disk.fd >= 0) {
		fsync(disk.fd);
		close(disk.fd);
		disk.fd = -1;
	}
}
