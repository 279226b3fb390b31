/*
 * The simulated PC's network: the virtio-net device's backends, on one libuv loop thread
 * (device backends are where the hosted platform uses libuv; a backend never blocks the
 * simulated machine: the device hands it frames through the loop).
 *
 * --net user[,hostfwd=tcp:HOSTADDR:HOSTPORT-:GUESTPORT]...   libslirp, QEMU's -netdev user
 *       (DHCP at 10.0.2.2 offering 10.0.2.15, DNS forwarder 10.0.2.3, host 10.0.2.2)
 * --net tap,ifname=NAME   an existing or new Linux TAP interface (needs CAP_NET_ADMIN; the
 *       tests create it inside a network namespace of their own)
 * The device's MAC is 52:54:00:12:34:56 (QEMU's default) unless ",mac=XX:XX:..." says.
 * --net-faults drop=P%,dup=P%,reorder=P%,corrupt=P%[,seed=N]  each frame, either way, is
 *       dropped, duplicated, held back behind the next one, or has a payload byte flipped,
 *       with the given probabilities, from a seeded generator: the same seed, the same faults.
 * At exit the counters are printed: "rtjs-sim: net: ..." (stderr).
 */
#ifndef RTJS_HOSTED_NET_H
#define RTJS_HOSTED_NET_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "virtio-net.h"

#define NET_MAX_HOSTFWD 8

struct net_hostfwd {
	int udp;
	char host_addr[64];
	int host_port, guest_port;
	char guest_addr[64];
};

struct net_faults {
	unsigned drop, dup, reorder, corrupt; /* per million frames */
	uint64_t seed;
};

struct net_config {
	enum { NET_NONE, NET_USER, NET_TAP } kind;
	uint8_t mac[6];
	struct net_hostfwd hostfwd[NET_MAX_HOSTFWD];
	unsigned nhostfwd;
	char ifname[16];
	struct net_faults faults;
};

/* What was lost on the way, and where (each written by the network thread only). */
struct net_counters {
	uint64_t backend_tx_dropped;     /* the backend refused a frame from the guest */
	uint64_t rx_no_buffer;           /* the driver had no receive buffer posted */
	uint64_t rx_not_ready;           /* the device was not up (no driver yet, or reset) */
	uint64_t rx_too_big;
	uint64_t fault_dropped, fault_duplicated, fault_reordered, fault_corrupted;
};

/* Parses a --net value; on error writes a message naming the bad part and returns -EINVAL. */
int net_parse(const char *spec, struct net_config *cfg, char *err, size_t errlen);
/* Parses a --net-faults value into cfg->faults (same error contract). */
int net_parse_faults(const char *spec, struct net_config *cfg, char *err, size_t errlen);

/* A backend: started on the loop thread; `input` takes a frame the guest sent. */
struct net_backend {
	void *ctx;
	void (*input)(void *ctx, const uint8_t *frame, size_t len);
	void (*stop)(void *ctx);
};
/* libslirp on `loop` (net-user.c). Frames for the guest go to net_deliver. */
int net_user_start(uv_loop_t *loop, const struct net_config *cfg, struct virtio_net_state *dev,
		   struct net_backend *out, char *err, size_t errlen);
/* A TAP interface on `loop` (net-tap.c). */
int net_tap_start(uv_loop_t *loop, const struct net_config *cfg, struct virtio_net_state *dev,
		  struct net_counters *counters, struct net_backend *out, char *err, size_t errlen);
/* On the network thread: a frame from the network for the guest (faults applied, then the
 * device; a refusal is counted). */
void net_deliver(const uint8_t *frame, size_t len);

/* Starts the loop thread with the configured backend behind `dev`. 0 or -errno (printed). */
int net_start(const struct net_config *cfg, struct virtio_net_state *dev);
void net_stop(void);

#endif
