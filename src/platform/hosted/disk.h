/*
 * The simulated PC's disk: a virtio-blk device over a disk image file, its I/O done with
 * libuv's file operations on a loop thread of its own, so the simulated machine never waits
 * for the host's disk.
 *
 * --disk FILE[,ro][,fault=KIND@N]
 *     FILE's size, rounded down to 512-byte sectors, is the capacity; ",ro" opens it
 *     read-only and the device offers VIRTIO_BLK_F_RO. ",fault=" injects one device error,
 *     for driver and file-system tests (counting requests from 0):
 *       write-ioerr@N  write request N answers VIRTIO_BLK_S_IOERR, nothing written
 *       read-ioerr@N   read request N answers VIRTIO_BLK_S_IOERR
 *       unsupp@N       request N (any type) answers VIRTIO_BLK_S_UNSUPP
 *       hang@N         request N and every later one are never answered (a dead device)
 */
#ifndef RTJS_HOSTED_DISK_H
#define RTJS_HOSTED_DISK_H

#include <stddef.h>
#include <stdint.h>

#include "virtio-blk.h"

enum disk_fault { DISK_FAULT_NONE, DISK_FAULT_WRITE_IOERR, DISK_FAULT_READ_IOERR, DISK_FAULT_UNSUPP, DISK_FAULT_HANG };

struct disk_config {
	char path[4096];
	int read_only;
	enum disk_fault fault;
	uint64_t fault_at; /* the request number (of its kind) the fault hits */
};

/* Parses a --disk value; on error writes a message naming the bad part and returns -EINVAL. */
int disk_parse(const char *spec, struct disk_config *cfg, char *err, size_t errlen);

/* Opens the image: its capacity in sectors into *capacity. 0 or -errno (message in err). */
int disk_open(const struct disk_config *cfg, uint64_t *capacity, char *err, size_t errlen);

/* Starts the loop thread serving `dev` (made with the capacity disk_open gave). 0 or -errno. */
int disk_start(struct virtio_blk_state *dev);
/* Finishes what is in flight, closes the image and stops the thread. */
void disk_stop(void);

#endif
