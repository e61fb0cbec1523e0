/* arm64 back end: bl/b encode, decode and range, veneers under BTI, live retargets.
   Sites are written into mmap'ed text near and far (>128 MB) from their targets. */
/* { dg-do run { target aarch64-*-* } } */
/* { dg-options "-mbranch-protection=standard -pthread" } */
/* { dg-staticcall-noplugin "" } */

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <staticcall/abi.h>
#include <staticcall/arch.h>
#include "../lib/sctest.h"


#ifndef PROT_BTI
#define PROT_BTI 0x10
#endif
#define BTI_C	0xd503245f

/* Targets, written into a BTI-guarded page (where the kernel and CPU have
   BTI) before anything runs there: a(x) = x+1, b(x) = x+2 start with bti c,
   nobti(x) = x+1 does not. */
static const uint32_t targets[] = {
	BTI_C, 0x11000400, 0xd65f03c0, 0xd503201f,	/* a */
	BTI_C, 0x11000800, 0xd65f03c0, 0xd503201f,	/* b */
	0x11000400, 0xd65f03c0,				/* nobti */
};
static int guarded;	/* pages are BTI-guarded */

static const uint32_t prologue[] = { 0xa9bf7bfd, 0x910003fd }; /* stp x29,x30,[sp,-16]!; mov x29,sp */
static const uint32_t epilogue[] = { 0xa8c17bfd, 0xd65f03c0 }; /* ldp x29,x30,[sp],16; ret */

/* Text at about @hint (0: anywhere), BTI-guarded when possible. */
static unsigned char *text_page(uintptr_t hint)
{
	int prot = PROT_READ | PROT_WRITE | PROT_EXEC;
	void *p = mmap((void *)hint, 65536, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	guarded = !mprotect(p, 65536, prot | PROT_BTI);
	return p;
}

/* Write a function at @fn whose only call is a site; return the site. */
static uintptr_t make_caller(unsigned char *fn)
{
	memcpy(fn, &(uint32_t){ BTI_C }, 4);	/* entered by blr */
	memcpy(fn + 4, prologue, 8);
	memcpy(fn + 12, &(uint32_t){ 0xd503201f }, 4);
	memcpy(fn + 16, epilogue, 8);
	sc_arch_publish((uintptr_t)fn, 24);
	return (uintptr_t)fn + 12;
}

static void retarget(uintptr_t site, unsigned flags, enum sc_form form, uintptr_t dest)
{
	struct sc_insn insn;

	CHECK(sc_arch_encode(site, flags, form, dest, &insn) == 0);
	CHECK(sc_arch_store_atomic(site, (unsigned char *)site, &insn) == 0);
	sc_arch_publish(site, insn.len);
}

static void test_encode(void)
{
	uintptr_t site = 0x40000000;
	struct sc_insn insn;
	struct sc_decoded d;
	uintptr_t r = sc_arch.reach;

	CHECK(r == (uintptr_t)128 << 20 && sc_arch.site_len == 4);
	CHECK(sc_arch_encode(site, 0, SC_FORM_CALL, site + r - 4, &insn) == 0);
	CHECK(insn.len == 4 && !memcmp(insn.bytes, "\xff\xff\xff\x95", 4));
	CHECK(sc_arch_encode(site, 0, SC_FORM_CALL, site + r, &insn) == -ERANGE);
	CHECK(sc_arch_encode(site, 0, SC_FORM_CALL, site - r, &insn) == 0);
	CHECK(!memcmp(insn.bytes, "\x00\x00\x00\x96", 4));
	CHECK(sc_arch_encode(site, 0, SC_FORM_CALL, site - r - 4, &insn) == -ERANGE);
	CHECK(sc_arch_encode(site, 0, SC_FORM_CALL, site + 2, &insn) == -EINVAL);
	CHECK(sc_arch_encode(site, 0, SC_FORM_TAIL, site + 8, &insn) == -EINVAL);
	CHECK(sc_arch_encode(site, STATICCALL_SITE_TAIL, SC_FORM_TAIL, site + 8, &insn) == 0);
	CHECK(!memcmp(insn.bytes, "\x02\x00\x00\x14", 4));
	CHECK(sc_arch_encode(site, STATICCALL_SITE_TAIL, SC_FORM_NOP, 0, &insn) == -EINVAL);
	CHECK(sc_arch_encode(site, 0, SC_FORM_NOP, 0, &insn) == 0);
	CHECK(!memcmp(insn.bytes, "\x1f\x20\x03\xd5", 4));
	/* Not inline: B/BL/NOP only may be modified while executing. */
	CHECK(sc_arch.target_forms & (1u << SC_FORM_RET0));
	CHECK(sc_arch_encode(site, 0, SC_FORM_RET0, 0, &insn) == -EINVAL);
	CHECK(!(sc_arch.target_forms & (1u << SC_FORM_CALL)));

	/* Round trip through decode, in a buffer. */
	static uint32_t buf[4] __attribute__((aligned(8)));
	uintptr_t s = (uintptr_t)&buf[1];
	CHECK(sc_arch_encode(s, 0, SC_FORM_CALL, s - 0x1234560, &insn) == 0);
	memcpy(&buf[1], insn.bytes, 4);
	CHECK(sc_arch_decode(s, 0, &d) == 0 && d.form == SC_FORM_CALL && d.dest == s - 0x1234560);
	CHECK(sc_arch_decode(s, STATICCALL_SITE_TAIL, &d) == -EINVAL);
	buf[1] = 0xd65f03c0;	/* ret: not a form we write */
	CHECK(sc_arch_decode(s, 0, &d) == -EINVAL);
	buf[1] = 0xd503201f;
	CHECK(sc_arch_decode(s, 0, &d) == 0 && d.form == SC_FORM_NOP);
	CHECK(sc_arch_direct_dest(0x1234, 0, 0) == 0x1234);
}

static volatile int stop;
static volatile long bad, calls, seen[2];
static int (*volatile live_fn)(int);

static void *caller_thread(void *arg)
{
	long n = 0;

	(void)arg;
	while (!stop) {
		int r = live_fn(2);
		if (r != 3 && r != 4)
			bad++;
		else
			seen[r - 3] = 1;
		n++;
	}
	__atomic_fetch_add(&calls, n, __ATOMIC_RELAXED);
	return NULL;
}

/* Call the caller function @fn in a child; 1 when it dies of SIGILL. */
static int traps(unsigned char *fn)
{
	int st;
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (!pid) {
		setrlimit(RLIMIT_CORE, &(struct rlimit){ 0, 0 });
		_exit(((int (*)(int))fn)(2) == 3 ? 0 : 2);
	}
	CHECK(waitpid(pid, &st, 0) == pid);
	return WIFSIGNALED(st) && WTERMSIG(st) == SIGILL;
}

int main(void)
{
	unsigned char *tp, *near, *far;
	uintptr_t a, b, nobti;
	uintptr_t site, tsite, fsite, ven;
	struct sc_insn insn;
	struct sc_decoded d;
	pthread_t th[2];
	int i, n, bti;

	test_encode();
	tp = text_page(0);
	bti = guarded;
	memcpy(tp, targets, sizeof(targets));
	sc_arch_publish((uintptr_t)tp, sizeof(targets));
	a = (uintptr_t)tp;
	b = a + 16;
	nobti = a + 32;

	/* Near: direct bl, b and nop, retargeted back and forth. */
	near = text_page((a & ~(uintptr_t)0xffff) + ((uintptr_t)64 << 20));
	CHECK((uintptr_t)near - a < sc_arch.reach);
	site = make_caller(near);
	int (*fn)(int) = (int (*)(int))near;
	CHECK(fn(2) == 2);			/* nop: x0 unchanged */
	retarget(site, 0, SC_FORM_CALL, a);
	CHECK(sc_arch_decode(site, 0, &d) == 0 && d.form == SC_FORM_CALL && d.dest == a);
	CHECK(fn(2) == 3);
	retarget(site, 0, SC_FORM_CALL, b);
	CHECK(fn(2) == 4);
	retarget(site, 0, SC_FORM_NOP, 0);
	CHECK(fn(2) == 2);
	memcpy(near + 60, &(uint32_t){ BTI_C }, 4);
	tsite = (uintptr_t)near + 64;		/* a tail site is a whole function */
	retarget(tsite, STATICCALL_SITE_TAIL, SC_FORM_TAIL, a);
	CHECK(((int (*)(int))(tsite - 4))(5) == 6);
	retarget(tsite, STATICCALL_SITE_TAIL, SC_FORM_TAIL, b);
	CHECK(((int (*)(int))(tsite - 4))(5) == 7);

	/* Far: out of reach, so a veneer within reach of the site. */
	far = text_page(a + ((uintptr_t)1 << 32));
	CHECK((uintptr_t)far - a >= sc_arch.reach);
	fsite = make_caller(far);
	CHECK(sc_arch_encode(fsite, 0, SC_FORM_CALL, a, &insn) == -ERANGE);
	ven = (uintptr_t)far + 256;
	CHECK(sc_arch_veneer_build((void *)(ven + 4), ven + 4, a) == -EINVAL);
	CHECK(sc_arch_veneer_build((void *)ven, ven, a) == 0);
	sc_arch_publish(ven, sc_arch.veneer_size);	/* before the bl */
	retarget(fsite, 0, SC_FORM_CALL, ven);
	CHECK(((int (*)(int))far)(2) == 3);
	ven += sc_arch.veneer_size;
	CHECK(sc_arch_veneer_build((void *)ven, ven, b) == 0);
	sc_arch_publish(ven, sc_arch.veneer_size);
	retarget(fsite, 0, SC_FORM_CALL, ven);
	CHECK(((int (*)(int))far)(2) == 4);
	/* Far tail site through a veneer. */
	memcpy(far + 124, &(uint32_t){ BTI_C }, 4);
	tsite = (uintptr_t)far + 128;
	retarget(tsite, STATICCALL_SITE_TAIL, SC_FORM_TAIL, ven);
	CHECK(((int (*)(int))(tsite - 4))(2) == 4);

	/* Negative controls, where pages are guarded: the same veneer into a
	   function without bti c traps, and a veneer using x9 instead of x16
	   into a bti c function traps; so the calls above passed BTI checks. */
	fprintf(stderr, "BTI guarded pages: %s\n", bti ? "yes" : "no (kernel/cpu without BTI)");
	if (bti) {
		unsigned char *c1 = far + 1024, *c2 = far + 2048;
		uint32_t x9[2] = { 0x58000049, 0xd61f0120 };	/* ldr x9,.+8; br x9 */
		uintptr_t v1 = (uintptr_t)far + 1536, v2 = (uintptr_t)far + 2560;

		CHECK(sc_arch_veneer_build((void *)v1, v1, nobti) == 0);
		sc_arch_publish(v1, 16);
		retarget(make_caller(c1), 0, SC_FORM_CALL, v1);
		CHECK(traps(c1));
		CHECK(sc_arch_veneer_build((void *)v2, v2, a) == 0);
		memcpy((void *)v2, x9, 8);
		sc_arch_publish(v2, 16);
		retarget(make_caller(c2), 0, SC_FORM_CALL, v2);
		CHECK(traps(c2));
		CHECK(!traps(far));
	}

	/* Live: two threads call the far site while it flips between veneers. */
	live_fn = (int (*)(int))far;
	for (i = 0; i < 2; i++)
		CHECK(pthread_create(&th[i], NULL, caller_thread, NULL) == 0);
	time_t t0 = time(NULL);
	/* At least 20000 retargets, and until both targets were seen (20 s at most). */
	for (n = 0; (n < 20000 || !seen[0] || !seen[1]) && time(NULL) - t0 < 20; n++)
		retarget(fsite, 0, SC_FORM_CALL, ven - (n & 1) * sc_arch.veneer_size);
	stop = 1;
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	fprintf(stderr, "live: %d retargets, %ld calls, %ld bad\n", n, calls, bad);
	CHECK(bad == 0 && calls > 0 && seen[0] && seen[1]);
	return 0;
}
