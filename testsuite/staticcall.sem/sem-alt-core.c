/* Callback patching the way a kernel does it: the freestanding core alone
   (no constructor, no Linux platform), the program's own platform hooks and
   section bounds; one text window per written region, one core sync per
   apply, none when nothing changes, and a refused window changes nothing.  */
/* { dg-do run } */
/* { dg-staticcall-core "" } */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#define STATICCALL_ALT_NO_CONSTRUCTOR
#include "sem-alt-shared.h"
#include <staticcall.h>
#include <staticcall/platform.h>

/* registered here, without staticcall-object.o */
STATICCALL_REGISTERS_ITSELF;

extern struct staticcall_alt __start_staticcall_alt[]
	__attribute__((weak, visibility("hidden")));
extern struct staticcall_alt __stop_staticcall_alt[]
	__attribute__((weak, visibility("hidden")));
__asm__(".pushsection staticcall_alt,\"awR\",@progbits\n\t.balign 8\n\t.popsection");

__asm__(".pushsection .text\n\t"
	FN("core_alt", STATICCALL_ALT_CB(SEQ(7), "sem_core_cb"))
	"sem_core_seq:\n\t" SEQ(8) "\nsem_core_seq_end:\n\t"
	".popsection");
extern __attribute__((visibility("hidden"))) const unsigned char
	sem_core_seq[], sem_core_seq_end[];
int core_alt(void);

static int opens, syncs, refuse, calls;

static int text_open(uintptr_t start, size_t len)
{
	opens++;
	if (refuse)
		return -EPERM;
	return mprotect((void *)start, len, PROT_READ | PROT_WRITE | PROT_EXEC) ?
	       -errno : 0;
}

static int text_close(uintptr_t start, size_t len)
{
	mprotect((void *)start, len, PROT_READ | PROT_EXEC);
	return 0;
}

static void sync_cores(void)
{
	syncs++;
}

/* page_size set in main: the core widens windows to it (4096 when 0,
   and a 64 KiB-page kernel refuses mprotect of a 4 KiB-aligned start) */
static struct staticcall_platform platform = {
	.text_open = text_open,
	.text_close = text_close,
	.sync_cores = sync_cores,
};

static void quiet(const char *msg)
{
	(void)msg;
}

__attribute__((used)) void sem_core_cb(const struct staticcall_alt *region,
					 const void *orig, void *buf,
					 unsigned int len)
{
	(void)region;
	(void)orig;
	calls++;
	if (len == (unsigned int)(sem_core_seq_end - sem_core_seq))
		memcpy(buf, sem_core_seq, len);
}

int main(void)
{
	int r0 = core_alt(), e1, r1, e2, r2;

	platform.page_size = (size_t)sysconf(_SC_PAGESIZE);
	staticcall_set_log(quiet);
	staticcall_set_platform(&platform);
	refuse = 1;
	e1 = staticcall_alt_apply(__start_staticcall_alt, __stop_staticcall_alt);
	r1 = core_alt();
	refuse = 0;
	e2 = staticcall_alt_apply(__start_staticcall_alt, __stop_staticcall_alt);
	r2 = core_alt();
	printf("before %d, refused %d (%d), applied %d (%d), calls %d opens %d syncs %d\n",
	       r0, r1, e1, r2, e2, calls, opens, syncs);
	if (r0 != 7 || e1 != -EPERM || r1 != 7 || e2 || r2 != 8 ||
	    calls != 2 || opens != 2 || syncs != 1)
		return 1;
	/* done: applying again writes nothing and syncs nothing */
	if (staticcall_alt_apply(__start_staticcall_alt, __stop_staticcall_alt) ||
	    calls != 2 || opens != 2 || syncs != 1 || core_alt() != 8)
		return 2;
	return 0;
}
