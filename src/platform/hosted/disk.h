/*
 * The simulated PC's disk: a virtio-blk device over a disk image file, its I/O done with
 * libuv's file operations on a loop thread of its own, so the simulated machine never waits
 * for the host's disk.
 *
 * --disk FILE[,ro]    FILE's size, rounded down to 512-byte sectors, is the capacity; ",ro"
 *                     opens it read-only and the device offers VIRTIO_BLK_F_RO.
 */
#ifndef RTJS_HOSTED_DISK_H
#define RTJS_HOSTED_DISK_H

#include <stddef.h>
#include <stdint.h>

#include "virtio_blk.h"

struct disk_config {
	char path[4096];
	int read_only;
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
