/*
 * The network peer of the TAP tests and bench/virtio-net: raw Ethernet frames on an
 * interface through a packet socket (packet(7)), counted, with the kernel's own drop count.
 *
 *   frame-peer send IFNAME COUNT   COUNT frames of ethertype 0x88b5 (IEEE 802 local
 *                                  experimental) to the broadcast address, each carrying its
 *                                  sequence number, then end markers every 50 ms for at most
 *                                  10 s (or until killed)
 *   frame-peer recv IFNAME COUNT   counts frames of that ethertype until COUNT arrived or an
 *                                  end marker did; prints "peer received R of COUNT, socket
 *                                  drops D, duplicates U, out of order O, bytes B, seconds S"
 *
 * Frame payload: a 4-byte magic, a 4-byte sequence number (big-endian), then filler up to
 * the frame length (60 bytes, the Ethernet minimum without FCS, unless FRAME_LEN says).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ETHERTYPE_TEST 0x88b5
#define MAGIC_DATA 0x72746a73u /* "rtjs" */
#define MAGIC_END 0x656e6421u  /* "end!" */
#define END_INTERVAL_NS 50000000L
#define END_MARKERS 200 /* 10 s of them: a peer nobody stops still ends */
#define RECV_BUFFER (8 << 20)

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int open_socket(const char *ifname, struct sockaddr_ll *addr)
{
	int fd = socket(AF_PACKET, SOCK_RAW, htons(ETHERTYPE_TEST));
	if (fd < 0) {
		perror("frame-peer: socket(AF_PACKET)");
		exit(2);
	}
	memset(addr, 0, sizeof *addr);
	addr->sll_family = AF_PACKET;
	addr->sll_protocol = htons(ETHERTYPE_TEST);
	addr->sll_ifindex = (int)if_nametoindex(ifname);
	addr->sll_halen = ETH_ALEN;
	memset(addr->sll_addr, 0xff, ETH_ALEN);
	if (!addr->sll_ifindex || bind(fd, (struct sockaddr *)addr, sizeof *addr)) {
		fprintf(stderr, "frame-peer: interface %s: %s\n", ifname, strerror(errno));
		exit(2);
	}
	int size = RECV_BUFFER;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size);
	return fd;
}

static size_t build(uint8_t *f, size_t len, uint32_t magic, uint32_t seq)
{
	memset(f, 0xff, ETH_ALEN);                       /* broadcast */
	memcpy(f + 6, "\x02\x00\x00\x00\x00\x02", ETH_ALEN); /* the peer's locally administered MAC */
	f[12] = ETHERTYPE_TEST >> 8;
	f[13] = ETHERTYPE_TEST & 0xff;
	uint32_t m = htonl(magic), s = htonl(seq);
	memcpy(f + 14, &m, 4);
	memcpy(f + 18, &s, 4);
	for (size_t i = 22; i < len; i++)
		f[i] = (uint8_t)(seq + i);
	return len;
}

static _Noreturn void do_send(int fd, const struct sockaddr_ll *addr, unsigned long count, size_t len)
{
	uint8_t f[1514];
	unsigned long failed = 0;
	double t0 = now_s();
	for (unsigned long i = 0; i < count; i++) {
		build(f, len, MAGIC_DATA, (uint32_t)i);
		while (sendto(fd, f, len, 0, (const struct sockaddr *)addr, sizeof *addr) < 0) {
			if (errno != ENOBUFS && errno != EAGAIN) {
				failed++;
				break;
			}
		}
	}
	printf("peer sent %lu frames (%lu failed) in %.3f s\n", count - failed, failed, now_s() - t0);
	fflush(stdout);
	struct timespec pause = { 0, END_INTERVAL_NS };
	for (uint32_t k = 0; k < END_MARKERS; k++) {
		build(f, len, MAGIC_END, k);
		sendto(fd, f, len, 0, (const struct sockaddr *)addr, sizeof *addr);
		nanosleep(&pause, NULL);
	}
	exit(0);
}

static int do_recv(int fd, unsigned long count)
{
	uint8_t f[2048], *seen = calloc(count, 1);
	unsigned long got = 0, dups = 0, disorder = 0, bytes = 0;
	long last = -1;
	double t0 = 0;
	printf("peer ready\n"); /* bound: the test starts the guest's flood now */
	fflush(stdout);
	while (got < count) {
		ssize_t n = recv(fd, f, sizeof f, 0);
		if (n < 22)
			continue;
		uint32_t magic, seq;
		memcpy(&magic, f + 14, 4);
		memcpy(&seq, f + 18, 4);
		magic = ntohl(magic);
		seq = ntohl(seq);
		if (magic == MAGIC_END)
			break;
		if (magic != MAGIC_DATA || seq >= count)
			continue;
		if (!t0)
			t0 = now_s();
		if (seen[seq]++) {
			dups++;
			continue;
		}
		if ((long)seq < last)
			disorder++;
		last = seq;
		got++;
		bytes += (unsigned long)n;
	}
	struct tpacket_stats st;
	socklen_t sl = sizeof st;
	memset(&st, 0, sizeof st);
	getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &sl);
	printf("peer received %lu of %lu, socket drops %u, duplicates %lu, out of order %lu, bytes %lu, seconds %.3f\n",
	       got, count, st.tp_drops, dups, disorder, bytes, t0 ? now_s() - t0 : 0.0);
	free(seen);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: frame-peer send|recv IFNAME COUNT\n");
		return 2;
	}
	unsigned long count = strtoul(argv[3], NULL, 10);
	const char *len_env = getenv("FRAME_LEN");
	size_t len = len_env ? strtoul(len_env, NULL, 10) : 60;
	if (len < 60 || len > 1514) {
		fprintf(stderr, "frame-peer: FRAME_LEN is 60 to 1514\n");
		return 2;
	}
	struct sockaddr_ll addr;
	int fd = open_socket(argv[2], &addr);
	if (!strcmp(argv[1], "send"))
		do_send(fd, &addr, count, len);
	if (!strcmp(argv[1], "recv"))
		return do_recv(fd, count);
	fprintf(stderr, "frame-peer: unknown mode %s\n", argv[1]);
	return 2;
}
