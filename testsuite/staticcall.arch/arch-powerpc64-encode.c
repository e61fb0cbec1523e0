/* ppc64le back end: bl encode/decode/range, site preparation, TOC-saving stubs,
   same-TOC and cross-TOC targets, r2 intact after each call, live retargets. */
/* { dg-do run { target powerpc64le-*-* } } */
/* { dg-options "-pthread" } */
/* { dg-staticcall-noplugin "" } */

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <staticcall/abi.h>
#include <staticcall/arch.h>
#include "../../arch/powerpc64/toc.h"	/* the back end's TOC helpers */
#include "../lib/sctest.h"


/* Uses the TOC, so it has the addis r2,r12 / addi r2,r2 global entry. */
static volatile long one = 1;
__attribute__((noinline, noipa)) long func_a(long x) { return x + one; }

static uintptr_t my_toc(void)
{
	uintptr_t r2;

	__asm__ volatile("mr %0,2" : "=r"(r2));
	return r2;
}

typedef long caller_fn(long x, uintptr_t *r2_after);

/* A caller in the ELFv2 call form: frame with TOC slot, site, r2 reported. */
static const uint32_t caller_code[] = {
	0x7c0802a6, 0xf8010010, 0xf821ffd1, 0xf8810020,	/* mflr r0; std r0,16(r1); stdu r1,-48(r1); std r4,32(r1) */
	0x60000000, 0x60000000,				/* site: bl X; nop (filled in) */
	0xe8810020, 0xf8440000,				/* ld r4,32(r1); std r2,0(r4) */
	0x38210030, 0xe8010010, 0x7c0803a6, 0x4e800020,	/* addi r1,r1,48; ld r0,16(r1); mtlr r0; blr */
};
#define CALLER_SITE 16

/* Cross-TOC target: its global entry sets r2 to a TOC of its own (a data
   word holding 10), so it returns x + 10 and leaves r2 changed; it spins a
   little so that threads are inside it while the site changes. */
static const uint32_t cross_code[] = {
	0x3c4c0000, 0x38420000,				/* addis r2,r12,hi; addi r2,r2,lo */
	0xe8820000, 0x7c632214,				/* ld r4,0(r2); add r3,r3,r4 */
	0x38a000c8, 0x7ca903a6, 0x42000000, 0x4e800020,	/* li r5,200; mtctr r5; bdnz .; blr */
};
/* No TOC prologue: local entry == global entry; returns x + 3. */
static const uint32_t plain_code[] = { 0x38630003, 0x4e800020 };

static unsigned char *text;
static uintptr_t cross, plain, mytoc;

static void publish_copy(void *dst, const void *src, size_t n)
{
	memcpy(dst, src, n);
	sc_arch_publish((uintptr_t)dst, n);
}

static uintptr_t make_caller(unsigned char *fn, uintptr_t first_dest)
{
	struct sc_insn insn;

	memcpy(fn, caller_code, sizeof(caller_code));
	CHECK(sc_arch_encode((uintptr_t)fn + CALLER_SITE, 0, SC_FORM_CALL, first_dest, &insn) == 0);
	memcpy(fn + CALLER_SITE, insn.bytes, 4);
	sc_arch_publish((uintptr_t)fn, sizeof(caller_code));
	return (uintptr_t)fn + CALLER_SITE;
}

static void retarget(uintptr_t site, uintptr_t dest)
{
	struct sc_insn insn;

	CHECK(sc_arch_encode(site, 0, SC_FORM_CALL, dest, &insn) == 0);
	CHECK(sc_arch_store_atomic(site, (unsigned char *)site, &insn) == 0);
	sc_arch_publish(site, insn.len);
}

static uintptr_t stub(unsigned char *at, uintptr_t target, uintptr_t site_toc)
{
	CHECK(sc_arch_veneer_build_toc(at, (uintptr_t)at, target, site_toc) == 0);
	sc_arch_publish((uintptr_t)at, sc_arch.veneer_size);
	return (uintptr_t)at;
}

static long call(uintptr_t fn, long x, uintptr_t *r2)
{
	return ((caller_fn *)fn)(x, r2);
}

static void test_encode(void)
{
	static uint32_t buf[4] __attribute__((aligned(8)));
	uintptr_t site = 0x10000000, r = sc_arch.reach, s = (uintptr_t)&buf[1];
	struct sc_insn insn;
	struct sc_decoded d;

	CHECK(r == (uintptr_t)32 << 20 && sc_arch.site_len == 4);
	CHECK(sc_arch_encode(site, 0, SC_FORM_CALL, site + r - 4, &insn) == 0);
	CHECK(insn.len == 4 && !memcmp(insn.bytes, "\xfd\xff\xff\x49", 4));
	CHECK(sc_arch_encode(site, 0, SC_FORM_CALL, site + r, &insn) == -ERANGE);
	CHECK(sc_arch_encode(site, 0, SC_FORM_CALL, site - r, &insn) == 0);
	CHECK(!memcmp(insn.bytes, "\x01\x00\x00\x4a", 4));
	CHECK(sc_arch_encode(site, 0, SC_FORM_CALL, site - r - 4, &insn) == -ERANGE);
	CHECK(sc_arch_encode(site, 0, SC_FORM_CALL, site + 6, &insn) == -EINVAL);
	CHECK(sc_arch_encode(site, STATICCALL_SITE_TAIL, SC_FORM_TAIL, site, &insn) == -EINVAL);
	CHECK(sc_arch_encode(site, 0, SC_FORM_NOP, 0, &insn) == -EINVAL);
	CHECK(sc_arch.target_forms == ((1u << SC_FORM_NOP) | (1u << SC_FORM_RET) |
				       (1u << SC_FORM_RET0) | (1u << SC_FORM_RET0_TAIL)));
	/* unknown site TOC (no TOC_SAVED or object TOC unknown): a stub */
	CHECK(sc_arch_direct_dest((uintptr_t)func_a, 0, 0) == 0);

	CHECK(sc_arch_encode(s, 0, SC_FORM_CALL, s - 0x123450, &insn) == 0);
	memcpy(&buf[1], insn.bytes, 4);
	buf[2] = 0x60000000;
	CHECK(sc_arch_decode(s, 0, &d) == 0 && d.form == SC_FORM_CALL && d.dest == s - 0x123450);
	buf[2] = 0xe8410018;
	CHECK(sc_arch_decode(s, 0, &d) == 0 && d.dest == s - 0x123450);
	buf[2] = 0x7c0802a6;		/* bl not followed by nop / TOC restore */
	CHECK(sc_arch_decode(s, 0, &d) == -EINVAL);
	CHECK(sc_arch_prepare_site(s, (unsigned char *)s, 0) == -EINVAL);
	buf[2] = 0x60000000;
	CHECK(sc_arch_prepare_site(s, (unsigned char *)s, 0) == 0 && buf[2] == 0xe8410018);
	CHECK(sc_arch_prepare_site(s, (unsigned char *)s, 0) == 0 && buf[2] == 0xe8410018);
	buf[1] |= 2;			/* bla: absolute, not ours */
	CHECK(sc_arch_decode(s, 0, &d) == -EINVAL);
	CHECK(sc_arch_decode(s, STATICCALL_SITE_TAIL, &d) == -EINVAL);

	/* TOC prologue recognition. */
	buf[0] = 0x3c4c0002;	/* addis r2,r12,2 */
	buf[1] = 0x3842fff0;	/* addi r2,r2,-16 */
	CHECK(sc_arch_fn_toc((uintptr_t)buf) == (uintptr_t)buf + 0x20000 - 16);
	CHECK(sc_arch_local_entry((uintptr_t)buf) == (uintptr_t)buf + 8);
	buf[0] = 0x3c401001;	/* lis r2,0x1001 */
	CHECK(sc_arch_fn_toc((uintptr_t)buf) == 0x10010000 - 16);
	buf[0] = 0x3c6c0002;	/* addis r3,r12,2: not a TOC prologue */
	CHECK(sc_arch_fn_toc((uintptr_t)buf) == 0);
	CHECK(sc_arch_local_entry((uintptr_t)buf) == (uintptr_t)buf);
	CHECK(sc_arch_fn_toc((uintptr_t)func_a) == mytoc);
	CHECK(sc_arch_local_entry((uintptr_t)func_a) == (uintptr_t)func_a + 8);
	/* -mcmodel=large: ld r2,-8(r12); add r2,r2,r12, .quad .TOC.-f before */
	{
		uint64_t big[4];
		uintptr_t f = (uintptr_t)&big[1];

		big[0] = 0x123450;
		big[1] = 0x7c426214e84cfff8ull;
		CHECK(sc_arch_fn_toc(f) == f + 0x123450);
		CHECK(sc_arch_local_entry(f) == f + 8);
	}

	/* direct calls: only with the site's TOC, to same-TOC or no-TOC code */
#define SAVED	STATICCALL_SITE_TOC_SAVED
	buf[0] = 0x3c4c0002;	/* addis r2,r12,2 */
	buf[1] = 0x3842fff0;	/* addi r2,r2,-16 */
	CHECK(sc_arch_direct_dest((uintptr_t)buf, SAVED, mytoc) == 0);
	CHECK(sc_arch_direct_dest((uintptr_t)buf, SAVED,
				  (uintptr_t)buf + 0x20000 - 16) ==
	      (uintptr_t)buf + 8);
	buf[0] = 0x38630003;	/* addi r3,r3,3: no prologue, entry at 0 */
	CHECK(sc_arch_direct_dest((uintptr_t)buf, SAVED, mytoc) == (uintptr_t)buf);
	CHECK(sc_arch_direct_dest((uintptr_t)buf, SAVED, 0) == 0);
	/* a site whose caller did not save r2 never calls directly */
	CHECK(sc_arch_direct_dest((uintptr_t)buf, 0, mytoc) == 0);
	CHECK(sc_arch_direct_dest((uintptr_t)func_a, SAVED, mytoc) ==
	      (uintptr_t)func_a + 8);
	CHECK(sc_arch_direct_dest((uintptr_t)func_a, SAVED, mytoc + 8) == 0);
}

static volatile int stop;
static volatile long bad, calls, seen[2];
static uintptr_t live_fn;

static void *caller_thread(void *arg)
{
	long n = 0;

	(void)arg;
	while (!stop) {
		uintptr_t r2 = 0;
		long r = call(live_fn, 2, &r2);

		if ((r != 3 && r != 12) || r2 != mytoc)
			bad++;
		else
			seen[r == 12] = 1;
		n++;
	}
	__atomic_fetch_add(&calls, n, __ATOMIC_RELAXED);
	return NULL;
}

int main(void)
{
	uintptr_t site, s_plain, s_a, s_a_local, s_cross, r2, data, raw;
	int64_t off;
	pthread_t th[2];
	uint32_t code[8];
	int i, n;

	mytoc = my_toc();
	test_encode();

	text = mmap(NULL, 65536, PROT_READ | PROT_WRITE | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(text != MAP_FAILED);
	plain = (uintptr_t)text + 256;
	publish_copy((void *)plain, plain_code, sizeof(plain_code));
	cross = (uintptr_t)text + 512;
	data = (uintptr_t)text + 4096;
	*(long *)data = 10;
	memcpy(code, cross_code, sizeof(code));
	off = (int64_t)(data - cross);
	code[0] |= (uint32_t)((off + 0x8000) >> 16) & 0xffff;
	code[1] |= (uint32_t)off & 0xffff;
	publish_copy((void *)cross, code, sizeof(code));
	CHECK(sc_arch_fn_toc(cross) == data);

	/* As linked: bl plain; nop, before registration. */
	site = make_caller(text, plain);
	CHECK(call((uintptr_t)text, 2, &r2) == 5 && r2 == mytoc);

	/* Stubs: global entry, local entry (same TOC known), cross TOC. */
	s_plain = stub(text + 1024, plain, mytoc);
	s_a = stub(text + 1024 + 64, (uintptr_t)func_a, 0);
	s_a_local = stub(text + 1024 + 128, (uintptr_t)func_a, mytoc);
	s_cross = stub(text + 1024 + 192, cross, mytoc);
	CHECK(*(uint64_t *)(s_a + 32) == (uintptr_t)func_a);
	CHECK(*(uint64_t *)(s_a_local + 32) == (uintptr_t)func_a + 8);
	CHECK(*(uint64_t *)(s_plain + 32) == plain);
	CHECK(*(uint64_t *)(s_cross + 32) == cross);
	CHECK(sc_arch_veneer_build((void *)(s_a + 4), s_a + 4, cross) == -EINVAL);

	/* Registration: prepare and bind to a stub before anything runs. */
	CHECK(sc_arch_prepare_site(site, (unsigned char *)site, 0) == 0);
	retarget(site, s_plain);
	CHECK(call((uintptr_t)text, 2, &r2) == 5 && r2 == mytoc);
	retarget(site, s_a);
	CHECK(call((uintptr_t)text, 2, &r2) == 3 && r2 == mytoc);
	retarget(site, s_a_local);
	CHECK(call((uintptr_t)text, 2, &r2) == 3 && r2 == mytoc);
	retarget(site, s_cross);
	CHECK(call((uintptr_t)text, 2, &r2) == 12 && r2 == mytoc);
	retarget(site, s_a_local);
	CHECK(call((uintptr_t)text, 2, &r2) == 3 && r2 == mytoc);

	/* Negative control: without prepare the cross call leaves r2 wrong,
	   so the r2 checks above can see a missing restore. */
	raw = make_caller(text + 2048, s_cross);
	CHECK(call((uintptr_t)text + 2048, 2, &r2) == 12 && r2 == data);
	(void)raw;

	/* Live: threads call while the site flips same-TOC <-> cross-TOC. */
	live_fn = (uintptr_t)text;
	for (i = 0; i < 2; i++)
		CHECK(pthread_create(&th[i], NULL, caller_thread, NULL) == 0);
	time_t t0 = time(NULL);
	/* At least 20000 retargets, and until both targets were seen (20 s at most). */
	for (n = 0; (n < 20000 || !seen[0] || !seen[1]) && time(NULL) - t0 < 20; n++)
		retarget(site, n & 1 ? s_cross : s_a_local);
	stop = 1;
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	fprintf(stderr, "live: %d retargets, %ld calls, %ld bad\n", n, calls, bad);
	CHECK(bad == 0 && calls > 0 && seen[0] && seen[1]);
	return 0;
}
