/* The mprotect writer (the last fallback, forced here) on text the OS will
   not make writable (prctl PR_SET_MDWE, the kernel side of
   MemoryDenyWriteExecute; a seccomp filter on older kernels): the update
   is -EPERM with a message naming the cause, no site changed, text r-x.
   The default writers succeed there: staticcall.writer.  x86-64 only
   under qemu-user (its seccomp and prctl are qemu's own); the system lane
   runs it elsewhere.  */
/* { dg-do run { target x86_64-*-* } } */
/* { dg-staticcall-system "" } */

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <staticcall.h>
#include <staticcall/writer.h>

#ifndef PR_SET_MDWE
#define PR_SET_MDWE 65
#endif

int guarded(int x) __attribute__((static_call));
__attribute__((noipa)) int guarded(int x) { return x + 1; }
__attribute__((noipa)) int guarded_b(int x) { return x + 2; }
__attribute__((noipa)) int use(int x) { return guarded(x) * 1; }

static char logged[512];

static void catch_log(const char *msg)
{
	strncpy(logged, msg, sizeof(logged) - 1);
}

/* mprotect(..., PROT_WRITE|PROT_EXEC) -> EPERM, like systemd does */
static int deny_wx_seccomp(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mprotect, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[2])),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, PROT_WRITE, 0, 1),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, PROT_EXEC, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

/* the permissions of the mapping holding @addr in /proc/self/maps */
static void perms_of(uintptr_t addr, char perms[5])
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long lo, hi;
	char p[5];

	strcpy(perms, "????");
	while (f && fscanf(f, "%lx-%lx %4s%*[^\n]", &lo, &hi, p) == 3)
		if (addr >= lo && addr < hi) {
			strcpy(perms, p);
			break;
		}
	if (f)
		fclose(f);
}

int main(void)
{
	const char *want;
	char perms[5];
	int err;

	if (staticcall_host_writer_set("mprotect") ||
	    staticcall_update(guarded, guarded_b) != 0 || use(0) != 2 ||
	    staticcall_reset(guarded) != 0 || use(0) != 1)
		return 1;
	if (prctl(PR_SET_MDWE, 1, 0, 0, 0) == 0) {
		want = "MemoryDenyWriteExecute";
	} else if (deny_wx_seccomp() == 0) {
		want = "seccomp";
	} else {
		printf("neither PR_SET_MDWE nor seccomp available\n");
		return 2;
	}
	staticcall_set_log(catch_log);
	err = staticcall_update(guarded, guarded_b);
	if (err != -EPERM) {
		printf("update under %s: %d\n", want, err);
		return 3;
	}
	if (!strstr(logged, want)) {
		printf("log '%s' does not name %s\n", logged, want);
		return 4;
	}
	if (use(0) != 1 || staticcall_query(guarded) != guarded)
		return 5;
	perms_of((uintptr_t)use, perms);
	if (strcmp(perms, "r-xp")) {
		printf("text left %s\n", perms);
		return 6;
	}
	return 0;
}
