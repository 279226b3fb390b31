/*
 * The simulated PC's network: the virtio-net device's backends, on one libuv loop thread
 * (device backends are where the hosted platform uses libuv; a backend never blocks the
 * simulated machine: the device hands it frames through the loop).
 *
 * --net user[,hostfwd=tcp:HOSTADDR:HOSTPORT-:GUESTPORT]...   libslirp, QEMU's -netdev user
 *       (DHCP at 10.0.2.2 offering 10.0.2.15, DNS forwarder 10.0.2.3, host 10.0.2.2)
 * The device's MAC is 52:54:00:12:34:56 (QEMU's default) unless ",mac=XX:XX:..." says.
 */
#ifndef RTJS_HOSTED_NET_H
#define RTJS_HOSTED_NET_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "virtio_net.h"

#define NET_MAX_HOSTFWD 8

struct net_hostfwd {
	int udp;
	char host_addr[64];
	int host_port, guest_port;
	char guest_addr[64];
};

struct net_config {
	enum { NET_NONE, NET_USER } kind;
	uint8_t mac[6];
	struct net_hostfwd hostfwd[NET_MAX_HOSTFWD];
	unsigned nhostfwd;
};

/* Parses a --net value; on error writes a message naming the bad part and returns -EINVAL. */
int net_parse(const char *spec, struct net_config *cfg, char *err, size_t errlen);

/* A backend: started on the loop thread; `input` takes a frame the guest sent. */
struct net_backend {
	void *ctx;
	void (*input)(void *ctx, const uint8_t *frame, size_t len);
	void (*stop)(void *ctx);
};
/* libslirp on `loop` (net-user.c); frames for the guest go to virtio_net_receive(dev). */
int net_user_start(uv_loop_t *loop, const struct net_config *cfg, struct virtio_net_state *dev,
		   struct net_backend *out, char *err, size_t errlen);

/* Starts the loop thread with the configured backend behind `dev`. 0 or -errno (printed). */
int net_start(const struct net_config *cfg, struct virtio_net_state *dev);
void net_stop(void);

#endif
