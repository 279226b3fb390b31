/*
 * /init of the Linux peer in bench/fs: loads the modules listed in /modules.list (virtio,
 * virtio-blk, FAT), mounts the virtio disk /dev/vda with Linux's vfat driver at /mnt, runs
 * `node /bench/fs.mjs /mnt ARGS...` (ARGS from the kernel command line after "--"), unmounts
 * and powers off. Built with -static.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define DISK "/dev/vda"
#define DISK_WAIT_TRIES 200 /* 10 ms apart: virtio-blk probes asynchronously */

static void load_modules(void)
{
	FILE *list = fopen("/modules.list", "r");
	char path[256];
	while (list && fgets(path, sizeof path, list)) {
		path[strcspn(path, "\n")] = 0;
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || syscall(SYS_finit_module, fd, "", 0))
			perror(path);
		if (fd >= 0)
			close(fd);
	}
	if (list)
		fclose(list);
}

int main(int argc, char **argv)
{
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	load_modules();
	struct stat st;
	for (int i = 0; i < DISK_WAIT_TRIES && stat(DISK, &st); i++)
		usleep(10000);
	if (mount(DISK, "/mnt", "vfat", 0, "iocharset=utf8")) {
		perror("init: mount " DISK);
	} else {
		pid_t pid = fork();
		if (pid == 0) {
			char *args[16] = { "/bin/node", "/bench/fs.mjs", "/mnt" };
			int n = 3;
			for (int i = 1; i < argc && n < 15; i++)
				args[n++] = argv[i];
			args[n] = NULL;
			char *envp[] = { "PATH=/bin", NULL };
			execve(args[0], args, envp);
			perror("init: execve /bin/node");
			_exit(127);
		}
		int status;
		waitpid(pid, &status, 0);
		umount("/mnt");
	}
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
