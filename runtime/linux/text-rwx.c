/*
 * runtime/linux/text-rwx.c - the "mprotect" text writer: the pages of a
 * window PROT_READ|PROT_WRITE|PROT_EXEC while the core stores, then
 * PROT_READ|PROT_EXEC again.  Never chosen by the runtime itself (text is
 * writable and executable at once); a program or a test asks for it
 * (STATICCALL_WRITER=mprotect: qemu-user, which does not see stores made
 * through the kernel or another mapping).  Refused under MDWE and W^X
 * policies, with the cause logged.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "staticcall/log.h"
#include "text.h"

#ifndef PR_GET_MDWE
#define PR_GET_MDWE		66
#endif

/* Why the kernel refused PROT_WRITE|PROT_EXEC, as precisely as we can. */
static const char *wx_cause(int err)
{
	char c = 0;
	int fd, mdwe = prctl(PR_GET_MDWE, 0, 0, 0, 0);

	if (mdwe > 0 && (mdwe & 1))
		return "MemoryDenyWriteExecute (prctl PR_SET_MDWE) forbids writable executable memory";
	fd = open("/sys/fs/selinux/enforce", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (read(fd, &c, 1) != 1)
			c = 0;
		close(fd);
		if (c == '1' && err == EACCES)
			return "SELinux denies execmem/execmod (boolean deny_execmem or the process domain)";
	}
	if (err == EPERM)
		return "a seccomp filter refuses mprotect(PROT_WRITE|PROT_EXEC) (systemd MemoryDenyWriteExecute=yes?)";
	return "a W^X policy (PaX MPROTECT, an LSM) forbids writable executable text";
}

int sc_rwx_open(uintptr_t start, size_t len)
{
	int err;

	if (!mprotect((void *)start, len, PROT_READ | PROT_WRITE | PROT_EXEC))
		return 0;
	err = errno;
	if (err == EACCES || err == EPERM) {
		staticcall_log("staticcall: cannot make text %p+%lx writable: %s",
			       (void *)start, (unsigned long)len, wx_cause(err));
		return -EPERM;
	}
	staticcall_log("staticcall: mprotect(%p, %lx) failed, errno %d",
		       (void *)start, (unsigned long)len, err);
	return -err;
}

void sc_rwx_close(uintptr_t start, size_t len)
{
	if (mprotect((void *)start, len, PROT_READ | PROT_EXEC))
		staticcall_log("staticcall: cannot restore text %p+%lx to read-only, errno %d",
			       (void *)start, (unsigned long)len, errno);
}
