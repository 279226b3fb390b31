/*
 * /init of the Linux guest in bench/virtio-net: loads the virtio-net modules named in
 * /modules (in order), brings eth0 up, and floods it the way tests/js/net/flood.js does in
 * rtjs: "send N" sends N frames of ethertype 0x88b5 to the broadcast address through a
 * packet socket, then end markers; "recv N" counts the peer's frames until its end marker.
 * The mode and N come from the kernel command line (rdinit=/init -- send 100000).
 * Prints one line like flood.js, then powers off. For bench/http and bench/tcp,
 * "node ARGS..." gives eth0 QEMU user networking's address (10.0.2.15/24, static: slirp's
 * DHCP is not what is measured) and runs /bin/node ARGS until it ends. Built with -static.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ETHERTYPE_TEST 0x88b5
#define MAGIC_DATA 0x72746a73u
#define MAGIC_END 0x656e6421u
#define FRAME_LEN 60

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void load_modules(void)
{
	FILE *list = fopen("/modules", "r");
	char path[256];
	while (list && fgets(path, sizeof path, list)) {
		path[strcspn(path, "\n")] = 0;
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || syscall(SYS_finit_module, fd, "", 0) != 0)
			if (errno != EEXIST)
				fprintf(stderr, "init: module %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	if (list)
		fclose(list);
}

static int open_eth0(struct sockaddr_ll *addr)
{
	int fd = socket(AF_PACKET, SOCK_RAW, htons(ETHERTYPE_TEST));
	struct ifreq ifr;
	memset(&ifr, 0, sizeof ifr);
	strcpy(ifr.ifr_name, "eth0");
	for (int i = 0; i < 200 && ioctl(fd, SIOCGIFFLAGS, &ifr) < 0; i++)
		usleep(10000); /* the device appears once its driver probed it */
	ifr.ifr_flags |= IFF_UP;
	ioctl(fd, SIOCSIFFLAGS, &ifr);
	memset(addr, 0, sizeof *addr);
	addr->sll_family = AF_PACKET;
	addr->sll_protocol = htons(ETHERTYPE_TEST);
	addr->sll_ifindex = (int)if_nametoindex("eth0");
	addr->sll_halen = ETH_ALEN;
	memset(addr->sll_addr, 0xff, ETH_ALEN);
	bind(fd, (struct sockaddr *)addr, sizeof *addr);
	/* Ready once the interface is operationally up (carrier on, queues running). */
	for (int i = 0; i < 500; i++) {
		char state[16] = "";
		FILE *f = fopen("/sys/class/net/eth0/operstate", "r");
		if (f) {
			if (!fgets(state, sizeof state, f))
				state[0] = 0;
			fclose(f);
		}
		if (!strncmp(state, "up", 2))
			break;
		usleep(10000);
	}
	return fd;
}

static void frame(uint8_t *f, uint32_t magic, uint32_t seq)
{
	memset(f, 0, FRAME_LEN);
	memset(f, 0xff, 6);
	memcpy(f + 6, "\x52\x54\x00\x12\x34\x56", 6);
	f[12] = ETHERTYPE_TEST >> 8;
	f[13] = ETHERTYPE_TEST & 0xff;
	uint32_t m = htonl(magic), s = htonl(seq);
	memcpy(f + 14, &m, 4);
	memcpy(f + 18, &s, 4);
}

/* SIOCSIFADDR and SIOCSIFNETMASK (netdevice(7)): the address and its subnet route. */
static void set_ipv4(int fd, const char *ifname, const char *address, const char *netmask)
{
	struct ifreq ifr;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	memset(&ifr, 0, sizeof ifr);
	strcpy(ifr.ifr_name, ifname);
	sin->sin_family = AF_INET;
	inet_pton(AF_INET, address, &sin->sin_addr);
	if (ioctl(fd, SIOCSIFADDR, &ifr) < 0)
		perror("init: SIOCSIFADDR");
	inet_pton(AF_INET, netmask, &sin->sin_addr);
	if (ioctl(fd, SIOCSIFNETMASK, &ifr) < 0)
		perror("init: SIOCSIFNETMASK");
}

static void run_node(char **args)
{
	struct sockaddr_ll addr;
	close(open_eth0(&addr));
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	set_ipv4(fd, "eth0", "10.0.2.15", "255.255.255.0");
	struct ifreq ifr;
	memset(&ifr, 0, sizeof ifr);
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
	pid_t pid = fork();
	if (pid == 0) {
		char *envp[] = { "PATH=/bin", NULL };
		args[0] = "/bin/node";
		execve(args[0], args, envp);
		perror("init: execve /bin/node");
		_exit(127);
	}
	int status;
	waitpid(pid, &status, 0);
}

int main(int argc, char **argv)
{
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	load_modules();
	const char *mode = argc > 1 ? argv[1] : "send";
	if (!strcmp(mode, "node")) {
		run_node(argv + 1);
		sync();
		reboot(RB_POWER_OFF);
		return 0;
	}
	unsigned long count = argc > 2 ? strtoul(argv[2], NULL, 10) : 100000;
	struct sockaddr_ll addr;
	int fd = open_eth0(&addr);
	uint8_t f[2048];
	printf("guest ready\n");
	fflush(stdout);
	if (!strcmp(mode, "send")) {
		unsigned long dropped = 0;
		double t0 = now_ms();
		for (unsigned long i = 0; i < count; i++) {
			frame(f, MAGIC_DATA, (uint32_t)i);
			while (sendto(fd, f, FRAME_LEN, 0, (struct sockaddr *)&addr, sizeof addr) < 0)
				if (errno != ENOBUFS && errno != EAGAIN) {
					dropped++;
					break;
				}
		}
		double ms = now_ms() - t0;
		for (uint32_t k = 0; k < 20; k++) {
			frame(f, MAGIC_END, k);
			sendto(fd, f, FRAME_LEN, 0, (struct sockaddr *)&addr, sizeof addr);
			usleep(1000);
		}
		printf("guest sent %lu frames in %.0f ms (%.0f frames/s), %lu dropped\n", count, ms, count / ms * 1e3, dropped);
	} else {
		unsigned long got = 0;
		double t0 = 0, t_last = 0;
		for (;;) {
			ssize_t n = recv(fd, f, sizeof f, 0);
			if (n < 22)
				continue;
			uint32_t magic;
			memcpy(&magic, f + 14, 4);
			if (ntohl(magic) == MAGIC_END)
				break;
			if (ntohl(magic) != MAGIC_DATA)
				continue;
			t_last = now_ms();
			if (!t0)
				t0 = t_last;
			got++;
		}
		/* first to last data frame: the wait for the end marker is not receiving */
		double ms = t_last - t0 > 1 ? t_last - t0 : 1;
		printf("guest received %lu of %lu in %.0f ms (%.0f frames/s)\n", got, count, ms, got / ms * 1e3);
	}
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
