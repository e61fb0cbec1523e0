/*
 * init.c - the initramfs's /init for scripts/linux: say the kernel reached
 * user space, load the static call test module when the initramfs has it
 * (/sc_modtest.ko, module/sc_modtest.c: its init is the test, its result
 * finit_module's), then reboot (qemu runs with -no-reboot, so it exits).
 * Built static, without the plugin: it tests the kernel, not itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/reboot.h>
#include <sys/syscall.h>

#define MODULE "/sc_modtest.ko"

int main(void)
{
	int fd;

	printf("staticcall-linux: init reached, pid %d\n", (int)getpid());
	fflush(stdout);
	fd = open(MODULE, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (syscall(SYS_finit_module, fd, "", 0) == 0)
			printf("staticcall-linux: module test: pass\n");
		else
			printf("staticcall-linux: module test: FAIL (%s)\n",
			       strerror(errno));
		close(fd);
		fflush(stdout);
	}
	sync();
	reboot(RB_AUTOBOOT);
	return 0;
}
