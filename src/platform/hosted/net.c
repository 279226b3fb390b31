/*
 * The network backends' thread: one libuv loop that owns the backend (libslirp is not
 * thread-safe, so every slirp call happens here) and moves the guest's frames to it when
 * the virtio-net device says it has some.
 */
#define _GNU_SOURCE
#include "net.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loop-thread.h"

#define ETH_HEADER_LEN 14 /* destination, source, ethertype: corruption spares it */
/* QEMU's default MAC for the first NIC (net/net.c: 52:54:00:12:34:56), locally administered. */
static const uint8_t DEFAULT_MAC[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

#define PER_MILLION 1000000u
#define REORDER_HOLD_MS 5 /* a held-back frame goes anyway if no other follows in this time */

/* One direction's fault state: the frame held back for reordering. */
struct lane {
	uint8_t held[VIRTIO_NET_FRAME_MAX];
	size_t held_len;
	void (*out)(const uint8_t *frame, size_t len);
};

static struct {
	struct loop_thread lt;
	uv_timer_t release;
	struct virtio_net_state *dev;
	struct net_backend backend;
	struct net_faults faults;
	uint64_t rng;
	struct lane to_net, to_guest;
	struct net_counters counters;
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
			else if (!strcmp(part, "tap"))
				cfg->kind = NET_TAP;
			else {
				snprintf(err, errlen, "unknown backend '%s' (known: user, tap)", part);
				rc = -EINVAL;
			}
		} else if (!strncmp(part, "ifname=", 7) && cfg->kind == NET_TAP) {
			if (!part[7] || strlen(part + 7) >= sizeof cfg->ifname) {
				snprintf(err, errlen, "'%s': an interface name is 1 to %zu characters", part,
					 sizeof cfg->ifname - 1);
				rc = -EINVAL;
			} else {
				strcpy(cfg->ifname, part + 7);
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
	if (!rc && cfg->kind == NET_TAP && !cfg->ifname[0]) {
		snprintf(err, errlen, "the tap backend needs ifname=NAME");
		rc = -EINVAL;
	}
	free(copy);
	return rc;
}

/* "P%" with P a decimal of at most 4 fraction digits, 0 to 100: per million. */
static int parse_share(const char *s, unsigned *per_million)
{
	char *end;
	double p = strtod(s, &end);
	if (end == s || strcmp(end, "%") || p < 0 || p > 100)
		return -1;
	*per_million = (unsigned)(p * (PER_MILLION / 100) + 0.5);
	return 0;
}

int net_parse_faults(const char *spec, struct net_config *cfg, char *err, size_t errlen)
{
	struct net_faults *f = &cfg->faults;
	memset(f, 0, sizeof *f);
	f->seed = 1;
	char *copy = strdup(spec), *save = NULL;
	int rc = 0;
	for (char *part = strtok_r(copy, ",", &save); part && !rc; part = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(part, '=');
		unsigned *slot = NULL;
		if (eq) {
			*eq = 0;
			slot = !strcmp(part, "drop") ? &f->drop : !strcmp(part, "dup") ? &f->dup
			     : !strcmp(part, "reorder") ? &f->reorder : !strcmp(part, "corrupt") ? &f->corrupt : NULL;
		}
		if (eq && !strcmp(part, "seed")) {
			char *end;
			f->seed = strtoull(eq + 1, &end, 10);
			rc = *end || !eq[1] ? -EINVAL : 0;
		} else {
			rc = !slot || parse_share(eq + 1, slot) ? -EINVAL : 0;
		}
		if (rc)
			snprintf(err, errlen, "'%s%s%s': expected drop=P%%, dup=P%%, reorder=P%% or corrupt=P%% (0-100), or seed=N",
				 part, eq ? "=" : "", eq ? eq + 1 : "");
	}
	free(copy);
	return rc;
}

/* ---- faults ------------------------------------------------------------------------- */

/* xorshift64* (Vigna, "An experimental exploration of Marsaglia's xorshift generators"):
 * reproducible from the seed, which is all a fault schedule needs. */
static uint32_t next_random(void)
{
	net.rng ^= net.rng >> 12;
	net.rng ^= net.rng << 25;
	net.rng ^= net.rng >> 27;
	return (uint32_t)((net.rng * 0x2545f4914f6cdd1dull) >> 32);
}

static int happens(unsigned per_million)
{
	return per_million && next_random() % PER_MILLION < per_million;
}

static void release_held(struct lane *l)
{
	if (!l->held_len)
		return;
	size_t len = l->held_len;
	l->held_len = 0;
	l->out(l->held, len);
}

static void on_release(uv_timer_t *h)
{
	(void)h;
	release_held(&net.to_net);
	release_held(&net.to_guest);
}

/* Sends a frame along a lane through the configured faults. */
static void pass(struct lane *l, const uint8_t *frame, size_t len)
{
	struct net_faults *f = &net.faults;
	uint8_t copy[VIRTIO_NET_FRAME_MAX];
	if (len > sizeof copy || !(f->drop | f->dup | f->reorder | f->corrupt)) {
		l->out(frame, len);
		return;
	}
	if (happens(f->drop)) {
		net.counters.fault_dropped++;
		return;
	}
	memcpy(copy, frame, len);
	if (happens(f->corrupt) && len > ETH_HEADER_LEN) {
		copy[ETH_HEADER_LEN + next_random() % (len - ETH_HEADER_LEN)] ^= (uint8_t)(1u << (next_random() % 8));
		net.counters.fault_corrupted++;
	}
	if (!l->held_len && happens(f->reorder)) {
		memcpy(l->held, copy, len);
		l->held_len = len;
		net.counters.fault_reordered++;
		uv_timer_start(&net.release, on_release, REORDER_HOLD_MS, 0);
		return;
	}
	l->out(copy, len);
	if (happens(f->dup)) {
		net.counters.fault_duplicated++;
		l->out(copy, len);
	}
	release_held(l); /* the held-back frame goes after this one */
}

/* ---- the loop thread ---------------------------------------------------------------- */

static void to_backend(const uint8_t *frame, size_t len)
{
	net.backend.input(net.backend.ctx, frame, len);
}

static void to_device(const uint8_t *frame, size_t len)
{
	int rc = virtio_net_receive(net.dev, frame, len);
	if (rc == -ENOBUFS)
		net.counters.rx_no_buffer++;
	else if (rc == -EMSGSIZE)
		net.counters.rx_too_big++;
	else if (rc)
		net.counters.rx_not_ready++;
}

void net_deliver(const uint8_t *frame, size_t len)
{
	pass(&net.to_guest, frame, len);
}

/* The device's output, on this thread (virtio_net_flush_tx). */
static void output(void *ctx, const uint8_t *frame, size_t len)
{
	(void)ctx;
	pass(&net.to_net, frame, len);
}

/* On the loop thread: the driver queued frames. */
static void on_kick(void *ctx)
{
	(void)ctx;
	virtio_net_flush_tx(net.dev);
}

/* Called by the device on the engine thread that notified, under the device's lock. */
static void tx_kick(void *ctx)
{
	(void)ctx;
	loop_thread_kick(&net.lt);
}

/* On the loop thread, as it stops. */
static void on_stop(void *ctx)
{
	(void)ctx;
	if (net.backend.stop)
		net.backend.stop(net.backend.ctx);
}

/* Starts the loop thread with SIGPIPE blocked. libslirp writes to its host sockets with
 * send(fd, buf, len, 0), and a send on a TCP socket the host peer has reset fails with EPIPE
 * and raises SIGPIPE for the writing thread (POSIX send(); Linux leaves EPIPE as the error of
 * a socket reset after the peer's FIN, tcp_reset in CLOSE_WAIT). Its default action ends the
 * whole process without a word, whenever a host peer resets a connection slirp still writes
 * to: Python's http.server closing on an unread TLS ClientHello does. QEMU, which embeds the
 * same library, ignores SIGPIPE process-wide; here it is blocked on this thread only (it
 * inherits the mask at creation), so slirp sees EPIPE and closes the guest's connection, and
 * rtjs-sim's own output to a closed pipe still ends it like any tool. The signal stays
 * pending on the thread and goes with it. */
static int start_thread_without_sigpipe(void)
{
	sigset_t pipe, old;
	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe, &old);
	int rc = loop_thread_start(&net.lt, "net");
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

int net_start(const struct net_config *cfg, struct virtio_net_state *dev)
{
	char err[200] = "";
	int rc = loop_thread_init(&net.lt, on_kick, on_stop, NULL);
	if (rc)
		return rc;
	net.dev = dev;
	uv_timer_init(&net.lt.loop, &net.release);
	net.faults = cfg->faults;
	net.rng = cfg->faults.seed ? cfg->faults.seed : 1;
	net.to_net.out = to_backend;
	net.to_guest.out = to_device;
	if (cfg->kind == NET_TAP)
		rc = net_tap_start(&net.lt.loop, cfg, dev, &net.counters, &net.backend, err, sizeof err);
	else
		rc = net_user_start(&net.lt.loop, cfg, dev, &net.backend, err, sizeof err);
	if (rc) {
		fprintf(stderr, "rtjs-sim: --net: %s\n", err);
		return rc;
	}
	dev->backend = NULL;
	dev->output = output;
	dev->tx_kick = tx_kick;
	return start_thread_without_sigpipe();
}

/* Stops the loop and prints where frames were lost. */
void net_stop(void)
{
	if (!net.lt.running)
		return;
	loop_thread_stop(&net.lt);
	const struct net_counters *c = &net.counters;
	pthread_mutex_lock(&net.dev->vdev.lock);
	uint64_t tx = net.dev->tx_frames, rx = net.dev->rx_frames, tx_bad = net.dev->tx_bad;
	pthread_mutex_unlock(&net.dev->vdev.lock);
	fprintf(stderr,
		"rtjs-sim: net: device tx %llu frames (%llu malformed), rx %llu frames; rx no buffer %llu, "
		"rx device not ready %llu, rx too big %llu; backend tx dropped %llu; faults: dropped %llu, "
		"duplicated %llu, reordered %llu, corrupted %llu\n",
		(unsigned long long)tx, (unsigned long long)tx_bad, (unsigned long long)rx,
		(unsigned long long)c->rx_no_buffer, (unsigned long long)c->rx_not_ready, (unsigned long long)c->rx_too_big,
		(unsigned long long)c->backend_tx_dropped, (unsigned long long)c->fault_dropped,
		(unsigned long long)c->fault_duplicated, (unsigned long long)c->fault_reordered,
		(unsigned long long)c->fault_corrupted);
}
