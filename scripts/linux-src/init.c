/*
 * init.c - the initramfs's /init for scripts/linux: say the kernel reached
 * user space, then reboot (qemu runs with -no-reboot, so it exits).
 * Built static, without the plugin: it tests the kernel, not itself.
 */
#include <stdio.h>
#include <unistd.h>
#include <sys/reboot.h>

int main(void)
{
	printf("staticcall-linux: init reached, pid %d\n", (int)getpid());
	fflush(stdout);
	sync();
	reboot(RB_AUTOBOOT);
	return 0;
}
