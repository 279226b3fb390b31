/*
 * The network backends' thread: one libuv loop that owns the backend (libslirp is not
 * thread-safe, so every slirp call happens here) and moves the guest's frames to it when
 * the virtio-net device says it has some.
 */
#define _GNU_SOURCE
#include "net.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* QEMU's default MAC for the first NIC (net/net.c: 52:54:00:12:34:56), locally administered. */
static const uint8_t DEFAULT_MAC[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

static struct {
	uv_loop_t loop;
	uv_async_t kick, stop;
	pthread_t thread;
	int running;
	struct virtio_net_state *dev;
	struct net_backend backend;
} net;

/* ---- options -------------------------------------------------------------------- */

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned b[6];
	char tail;
	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &tail) != 6)
		return -1;
	for (int i = 0; i < 6; i++) {
		if (b[i] > 0xff)
			return -1;
		mac[i] = (uint8_t)b[i];
	}
	return mac[0] & 1 ? -1 : 0; /* a multicast address cannot be a NIC's */
}

/* QEMU's words: hostfwd=[tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport */
static int parse_hostfwd(const char *s, struct net_hostfwd *f)
{
	char proto[8] = "tcp", rest[200];
	const char *colon = strchr(s, ':');
	memset(f, 0, sizeof *f);
	if (colon && colon - s < (long)sizeof proto && (colon - s == 3)) {
		memcpy(proto, s, 3);
		proto[3] = 0;
		s = colon + 1;
	}
	if (strcmp(proto, "tcp") && strcmp(proto, "udp"))
		return -1;
	f->udp = !strcmp(proto, "udp");
	if (strlen(s) >= sizeof rest)
		return -1;
	strcpy(rest, s);
	char *dash = strchr(rest, '-');
	if (!dash)
		return -1;
	*dash = 0;
	char *hc = strrchr(rest, ':'), *gc = strrchr(dash + 1, ':');
	if (!hc || !gc)
		return -1;
	*hc = *gc = 0;
	snprintf(f->host_addr, sizeof f->host_addr, "%s", rest);
	snprintf(f->guest_addr, sizeof f->guest_addr, "%s", dash + 1);
	char *end;
	f->host_port = (int)strtol(hc + 1, &end, 10);
	if (*end || f->host_port < 0 || f->host_port > 65535)
		return -1;
	f->guest_port = (int)strtol(gc + 1, &end, 10);
	if (*end || f->guest_port <= 0 || f->guest_port > 65535)
		return -1;
	return 0;
}

int net_parse(const char *spec, struct net_config *cfg, char *err, size_t errlen)
{
	memset(cfg, 0, sizeof *cfg);
	memcpy(cfg->mac, DEFAULT_MAC, 6);
	char *copy = strdup(spec), *save = NULL;
	int rc = 0;
	for (char *part = strtok_r(copy, ",", &save); part && !rc; part = strtok_r(NULL, ",", &save)) {
		if (cfg->kind == NET_NONE) {
			if (!strcmp(part, "user"))
				cfg->kind = NET_USER;
			else {
				snprintf(err, errlen, "unknown backend '%s' (known: user)", part);
				rc = -EINVAL;
			}
		} else if (!strncmp(part, "mac=", 4)) {
			if (parse_mac(part + 4, cfg->mac)) {
				snprintf(err, errlen, "'%s' is not a unicast MAC address (XX:XX:XX:XX:XX:XX)", part + 4);
				rc = -EINVAL;
			}
		} else if (!strncmp(part, "hostfwd=", 8) && cfg->kind == NET_USER) {
			if (cfg->nhostfwd == NET_MAX_HOSTFWD || parse_hostfwd(part + 8, &cfg->hostfwd[cfg->nhostfwd])) {
				snprintf(err, errlen, "'%s': expected hostfwd=[tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport (at most %d)",
					 part, NET_MAX_HOSTFWD);
				rc = -EINVAL;
			}
			cfg->nhostfwd++;
		} else {
			snprintf(err, errlen, "unknown option '%s'", part);
			rc = -EINVAL;
		}
	}
	if (!rc && cfg->kind == NET_NONE) {
		snprintf(err, errlen, "no backend named (e.g. --net user)");
		rc = -EINVAL;
	}
	free(copy);
	return rc;
}

/* ---- the loop thread ---------------------------------------------------------------- */

static void output(void *ctx, const uint8_t *frame, size_t len)
{
	(void)ctx;
	net.backend.input(net.backend.ctx, frame, len);
}

/* On the loop thread: the driver queued frames. */
static void on_kick(uv_async_t *h)
{
	(void)h;
	virtio_net_flush_tx(net.dev);
}

/* Called by the device on the engine thread that notified, under the device's lock. */
static void tx_kick(void *ctx)
{
	(void)ctx;
	uv_async_send(&net.kick);
}

static void close_handle(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

static void on_stop(uv_async_t *h)
{
	(void)h;
	if (net.backend.stop)
		net.backend.stop(net.backend.ctx);
	uv_walk(&net.loop, close_handle, NULL);
}

static void *loop_thread(void *arg)
{
	(void)arg;
	uv_run(&net.loop, UV_RUN_DEFAULT);
	return NULL;
}

int net_start(const struct net_config *cfg, struct virtio_net_state *dev)
{
	char err[200] = "";
	int rc = uv_loop_init(&net.loop);
	if (rc)
		return rc;
	net.dev = dev;
	uv_async_init(&net.loop, &net.kick, on_kick);
	uv_async_init(&net.loop, &net.stop, on_stop);
	rc = net_user_start(&net.loop, cfg, dev, &net.backend, err, sizeof err);
	if (rc) {
		fprintf(stderr, "rtjs-sim: --net: %s\n", err);
		return rc;
	}
	dev->backend = NULL;
	dev->output = output;
	dev->tx_kick = tx_kick;
	if (pthread_create(&net.thread, NULL, loop_thread, NULL))
		return -EAGAIN;
	pthread_setname_np(net.thread, "net");
	net.running = 1;
	return 0;
}

void net_stop(void)
{
	if (!net.running)
		return;
	net.running = 0;
	uv_async_send(&net.stop);
	pthread_join(net.thread, NULL);
}
