/*
 * The "tap" network backend: a Linux TAP device (Documentation/networking/tuntap.rst) on
 * the network thread's libuv loop. Frames the guest sends are written to the TAP file;
 * frames the host sends on the interface are read from it as it becomes readable. A write
 * the TAP refuses (its queue full) drops the frame and counts it.
 */
#define _GNU_SOURCE
#include "net.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define TUN_DEVICE "/dev/net/tun"
#define READS_PER_WAKE 64 /* frames taken per readiness before the loop looks elsewhere */

struct tap_net {
	int fd;
	uv_poll_t poll;
	struct virtio_net_state *dev;
	struct net_counters *counters;
};

static struct tap_net tap;

static void on_readable(uv_poll_t *h, int status, int events)
{
	struct tap_net *t = h->data;
	uint8_t frame[VIRTIO_NET_FRAME_MAX + 4];
	(void)events;
	if (status < 0)
		return;
	for (int i = 0; i < READS_PER_WAKE; i++) {
		ssize_t n = read(t->fd, frame, sizeof frame);
		if (n <= 0)
			break;
		net_deliver(frame, (size_t)n);
	}
}

static void tap_input(void *ctx, const uint8_t *frame, size_t len)
{
	struct tap_net *t = ctx;
	if (write(t->fd, frame, len) != (ssize_t)len)
		t->counters->backend_tx_dropped++;
}

static void tap_stop(void *ctx)
{
	struct tap_net *t = ctx;
	uv_poll_stop(&t->poll);
}

int net_tap_start(uv_loop_t *loop, const struct net_config *cfg, struct virtio_net_state *dev,
		  struct net_counters *counters, struct net_backend *out, char *err, size_t errlen)
{
	struct tap_net *t = &tap;
	t->dev = dev;
	t->counters = counters;
	t->fd = open(TUN_DEVICE, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (t->fd < 0) {
		snprintf(err, errlen, "%s: %s", TUN_DEVICE, strerror(errno));
		return -errno;
	}
	struct ifreq ifr;
	memset(&ifr, 0, sizeof ifr);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI; /* whole Ethernet frames, no packet-info header */
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", cfg->ifname);
	if (ioctl(t->fd, TUNSETIFF, &ifr) < 0) {
		int e = errno;
		snprintf(err, errlen, "TAP interface '%s': %s", cfg->ifname, strerror(e));
		close(t->fd);
		return -e;
	}
	uv_poll_init(loop, &t->poll, t->fd);
	t->poll.data = t;
	uv_poll_start(&t->poll, UV_READABLE, on_readable);
	*out = (struct net_backend){ .ctx = t, .input = tap_input, .stop = tap_stop };
	return 0;
}
