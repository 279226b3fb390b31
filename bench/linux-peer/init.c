/*
 * /init of the Linux peer in bench/boot-js: the least a Linux system needs before `node -e`
 * can run (proc, sys and dev mounted), then node, then power-off. Built with -static.
 */
#include <stdio.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { "/bin/node", "-e", "console.log('first line from JavaScript')", NULL };
		char *envp[] = { "PATH=/bin", NULL };
		execve(argv[0], argv, envp);
		perror("init: execve /bin/node");
		_exit(127);
	}
	int status;
	waitpid(pid, &status, 0);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
