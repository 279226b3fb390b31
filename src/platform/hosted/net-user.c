/*
 * The "user" network backend: libslirp (QEMU's -netdev user) on the network thread's libuv
 * loop. slirp's sockets are watched with uv_poll handles that follow slirp_pollfds_fill
 * before each wait (uv_prepare), their readiness goes back to slirp_pollfds_poll after it
 * (uv_check), and slirp's timers are uv_timers.
 */
#define _GNU_SOURCE
#include "net.h"
#include "platform/platform.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <slirp/libslirp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"

/* The network QEMU's -netdev user builds (net/slirp.c defaults). */
#define USER_NET "10.0.2.0"
#define USER_MASK "255.255.255.0"
#define USER_HOST "10.0.2.2"
#define USER_DHCP_START "10.0.2.15"
#define USER_DNS "10.0.2.3"
#define USER_GUEST "10.0.2.15"
#define MAX_FDS 256

struct watched {
	int fd, events, revents, in_use, closing;
	uv_poll_t poll;
};

struct user_net {
	uv_loop_t *loop;
	Slirp *slirp;
	struct virtio_net_state *dev;
	uv_prepare_t prepare;
	uv_check_t check;
	uv_timer_t wake;
	struct watched fds[MAX_FDS];
};

struct user_timer {
	struct user_net *u;
	uv_timer_t timer;
	SlirpTimerId id;
	void *cb_opaque;
};

static struct user_net user;

/* libslirp, with the GLib and PCRE2 it pulls in, is loaded when a run asks for this backend,
 * not linked: a run without --net user does not map, relocate and initialise them. */
#define SLIRP_FUNCS(X) X(new) X(input) X(pollfds_fill) X(pollfds_poll) X(handle_timer) X(add_hostfwd) X(version_string)

static struct {
#define X(name) __typeof__(slirp_##name) *name;
	SLIRP_FUNCS(X)
#undef X
} sl;

static int slirp_load(char *err, size_t errlen)
{
	if (sl.new)
		return 0;
	void *lib = dlopen("libslirp.so.0", RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		snprintf(err, errlen, "cannot load libslirp: %s", dlerror());
		return -ELIBACC;
	}
#define X(name)                                                                    \
	sl.name = (__typeof__(sl.name))dlsym(lib, "slirp_" #name);                  \
	if (!sl.name) {                                                            \
		snprintf(err, errlen, "libslirp lacks slirp_" #name);                \
		sl.new = NULL;                                                     \
		return -ELIBACC;                                                    \
	}
	SLIRP_FUNCS(X)
#undef X
	return 0;
}

/* ---- slirp's callbacks ---------------------------------------------------------------- */

static ssize_t send_packet(const void *buf, size_t len, void *opaque)
{
	struct user_net *u = opaque;
	/* A frame the guest has no buffer for is dropped (and counted by the device); TCP
	 * retransmits, as slirp's contract allows. */
	(void)u;
	net_deliver(buf, len);
	return (ssize_t)len;
}

static void guest_error(const char *msg, void *opaque)
{
	(void)opaque;
	sim_trace("net-user", "guest error: %s", msg);
}

static int64_t clock_get_ns(void *opaque)
{
	struct user_net *u = opaque;
	(void)u;
	return (int64_t)uv_hrtime();
}

static void on_slirp_timer(uv_timer_t *h)
{
	struct user_timer *t = h->data;
	sl.handle_timer(t->u->slirp, t->id, t->cb_opaque);
}

static void *timer_new_opaque(SlirpTimerId id, void *cb_opaque, void *opaque)
{
	struct user_timer *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->u = opaque;
	t->id = id;
	t->cb_opaque = cb_opaque;
	uv_timer_init(t->u->loop, &t->timer);
	t->timer.data = t;
	return t;
}

static void free_timer_handle(uv_handle_t *h) { free(h->data); }

static void timer_free(void *timer, void *opaque)
{
	(void)opaque;
	struct user_timer *t = timer;
	uv_close((uv_handle_t *)&t->timer, free_timer_handle);
}

/* expire_time: milliseconds on clock_get_ns's clock. */
static void timer_mod(void *timer, int64_t expire_time, void *opaque)
{
	(void)opaque;
	struct user_timer *t = timer;
	int64_t now_ms = (int64_t)(uv_hrtime() / NS_PER_MS);
	uint64_t delay = expire_time > now_ms ? (uint64_t)(expire_time - now_ms) : 0;
	uv_timer_start(&t->timer, on_slirp_timer, delay, 0);
}

static void register_poll_fd(int fd, void *opaque) { (void)fd; (void)opaque; }
static void unregister_poll_fd(int fd, void *opaque) { (void)fd; (void)opaque; }
static void notify(void *opaque) { (void)opaque; }

/* ---- sockets: uv_poll handles following slirp_pollfds_fill ------------------------------- */

static struct watched *watched_for(struct user_net *u, int fd, int create)
{
	struct watched *free_slot = NULL;
	for (int i = 0; i < MAX_FDS; i++) {
		if (u->fds[i].in_use && u->fds[i].fd == fd)
			return &u->fds[i];
		if (!u->fds[i].in_use && !u->fds[i].closing && !free_slot)
			free_slot = &u->fds[i];
	}
	if (!create || !free_slot)
		return NULL;
	memset(free_slot, 0, sizeof *free_slot);
	if (uv_poll_init_socket(u->loop, &free_slot->poll, fd))
		return NULL;
	free_slot->fd = fd;
	free_slot->in_use = 1;
	free_slot->poll.data = u;
	return free_slot;
}

static void on_poll(uv_poll_t *h, int status, int events)
{
	struct watched *w = (struct watched *)((char *)h - offsetof(struct watched, poll));
	w->revents |= status < 0 ? SLIRP_POLL_ERR : 0;
	w->revents |= (events & UV_READABLE ? SLIRP_POLL_IN : 0) | (events & UV_WRITABLE ? SLIRP_POLL_OUT : 0) |
		      (events & UV_PRIORITIZED ? SLIRP_POLL_PRI : 0) | (events & UV_DISCONNECT ? SLIRP_POLL_HUP : 0);
}

static int add_poll(int fd, int events, void *opaque)
{
	struct user_net *u = opaque;
	struct watched *w = watched_for(u, fd, 1);
	if (!w) {
		sim_trace("net-user", "no room to watch socket %d", fd);
		return -1;
	}
	w->events |= events;
	return (int)(w - u->fds);
}

static int get_revents(int idx, void *opaque)
{
	struct user_net *u = opaque;
	return idx >= 0 && idx < MAX_FDS ? u->fds[idx].revents : 0;
}

static void on_poll_closed(uv_handle_t *h)
{
	struct watched *w = (struct watched *)((char *)h - offsetof(struct watched, poll));
	w->closing = 0;
}

static void on_wake(uv_timer_t *h) { (void)h; }

/* Before the loop waits: ask slirp what to watch and for how long. */
static void on_prepare(uv_prepare_t *h)
{
	struct user_net *u = h->data;
	for (int i = 0; i < MAX_FDS; i++)
		u->fds[i].events = 0;
	uint32_t timeout = UINT32_MAX;
	sl.pollfds_fill(u->slirp, &timeout, add_poll, u);
	for (int i = 0; i < MAX_FDS; i++) {
		struct watched *w = &u->fds[i];
		if (!w->in_use)
			continue;
		if (!w->events) { /* slirp closed or no longer watches it */
			w->in_use = 0;
			w->closing = 1;
			uv_close((uv_handle_t *)&w->poll, on_poll_closed);
			continue;
		}
		int ev = (w->events & SLIRP_POLL_IN ? UV_READABLE : 0) | (w->events & SLIRP_POLL_OUT ? UV_WRITABLE : 0) |
			 (w->events & SLIRP_POLL_PRI ? UV_PRIORITIZED : 0);
		uv_poll_start(&w->poll, ev, on_poll);
	}
	if (timeout != UINT32_MAX)
		uv_timer_start(&u->wake, on_wake, timeout, 0);
}

/* After the wait: hand what became ready to slirp. */
static void on_check(uv_check_t *h)
{
	struct user_net *u = h->data;
	sl.pollfds_poll(u->slirp, 0, get_revents, u);
	for (int i = 0; i < MAX_FDS; i++)
		u->fds[i].revents = 0;
}

/* ---- the backend ----------------------------------------------------------------------- */

static void user_input(void *ctx, const uint8_t *frame, size_t len)
{
	struct user_net *u = ctx;
	sl.input(u->slirp, frame, (int)len);
}

static void user_stop(void *ctx)
{
	struct user_net *u = ctx;
	uv_prepare_stop(&u->prepare);
	uv_check_stop(&u->check);
}

static int add_forwards(struct user_net *u, const struct net_config *cfg, char *err, size_t errlen)
{
	for (unsigned i = 0; i < cfg->nhostfwd; i++) {
		const struct net_hostfwd *f = &cfg->hostfwd[i];
		struct in_addr host = { htonl(INADDR_ANY) }, guest;
		inet_pton(AF_INET, USER_GUEST, &guest);
		if ((f->host_addr[0] && inet_pton(AF_INET, f->host_addr, &host) != 1) ||
		    (f->guest_addr[0] && inet_pton(AF_INET, f->guest_addr, &guest) != 1)) {
			snprintf(err, errlen, "hostfwd: '%s' or '%s' is not an IPv4 address", f->host_addr, f->guest_addr);
			return -EINVAL;
		}
		if (sl.add_hostfwd(u->slirp, f->udp, host, f->host_port, guest, f->guest_port) < 0) {
			snprintf(err, errlen, "hostfwd %s:%s:%d: cannot listen there (%s)", f->udp ? "udp" : "tcp",
				 f->host_addr[0] ? f->host_addr : "*", f->host_port, strerror(errno));
			return -EADDRINUSE;
		}
	}
	return 0;
}

int net_user_start(uv_loop_t *loop, const struct net_config *cfg, struct virtio_net_state *dev,
		   struct net_backend *out, char *err, size_t errlen)
{
	static const SlirpCb callbacks = {
		.send_packet = send_packet, .guest_error = guest_error, .clock_get_ns = clock_get_ns,
		.timer_free = timer_free, .timer_mod = timer_mod, .register_poll_fd = register_poll_fd,
		.unregister_poll_fd = unregister_poll_fd, .notify = notify, .timer_new_opaque = timer_new_opaque,
	};
	int rc = slirp_load(err, errlen);
	if (rc)
		return rc;
	struct user_net *u = &user;
	u->loop = loop;
	u->dev = dev;
	SlirpConfig c = { .version = 4, .in_enabled = true };
	inet_pton(AF_INET, USER_NET, &c.vnetwork);
	inet_pton(AF_INET, USER_MASK, &c.vnetmask);
	inet_pton(AF_INET, USER_HOST, &c.vhost);
	inet_pton(AF_INET, USER_DHCP_START, &c.vdhcp_start);
	inet_pton(AF_INET, USER_DNS, &c.vnameserver);
	c.vhostname = "rtjs";
	u->slirp = sl.new(&c, &callbacks, u);
	if (!u->slirp) {
		snprintf(err, errlen, "libslirp %s would not start", sl.version_string());
		return -ENOMEM;
	}
	rc = add_forwards(u, cfg, err, errlen);
	if (rc)
		return rc;
	uv_prepare_init(loop, &u->prepare);
	uv_check_init(loop, &u->check);
	uv_timer_init(loop, &u->wake);
	u->prepare.data = u->check.data = u->wake.data = u;
	uv_prepare_start(&u->prepare, on_prepare);
	uv_check_start(&u->check, on_check);
	*out = (struct net_backend){ .ctx = u, .input = user_input, .stop = user_stop };
	return 0;
}
