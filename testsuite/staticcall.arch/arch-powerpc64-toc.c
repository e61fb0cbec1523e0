/* ppc64le: a site whose caller saves r2 in its prologue (the plugin marks
   it STATICCALL_SITE_TOC_SAVED) calls a same-TOC target with a direct bl
   to its local entry (after the addis/addi prologue, or at 0 without one),
   a cross-TOC target through a stub; a live site switches between the two
   with one bl write while threads call it; r2 is right after every call,
   also on callers with an early exit before the site (shrink-wrapping),
   and on a caller with alloca (not TOC_SAVED: always a stub). */
/* { dg-do run { target powerpc64le-*-* } } */
/* { dg-options "-pthread" } */
/* { dg-staticcall-shared "arch-powerpc64-toc-lib.c" sctoc } */

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <staticcall.h>
#include <staticcall/abi.h>
#include "../lib/sctest.h"


extern struct staticcall_site_rec __start_staticcall_sites[]
	__attribute__((weak, visibility("hidden")));
extern struct staticcall_site_rec __stop_staticcall_sites[]
	__attribute__((weak, visibility("hidden")));

int toc_lib_far(int x);
int toc_lib_key(int x) __attribute__((static_call));
int toc_lib_near(int x);
int toc_lib_call(int x);
void toc_lib_sites(struct staticcall_site_rec **start,
		   struct staticcall_site_rec **stop);

static volatile int bias = 100;

static uintptr_t my_r2(void)
{
	uintptr_t r2;

	__asm__ volatile("mr %0,2" : "=r"(r2));
	return r2;
}

/* The key, default x + 100 (uses the TOC: has a global-entry prologue). */
__attribute__((static_call, noinline)) int key(int x);
__attribute__((noinline)) int key(int x)
{
	return x + bias;
}

/* Same TOC: x + 500. */
__attribute__((noinline)) int same(int x)
{
	return x + bias + 400;
}

/* No global-entry prologue (needs neither r2 nor r12): x * 3. */
int notoc(int x);
__asm__(".text\n\t.globl notoc\n\t.type notoc,@function\n\t.p2align 4\n"
	"notoc:\n\tmulli 3,3,3\n\tblr\n\t.size notoc,.-notoc");

/* A site; -1000000 when r2 changed across it. */
__attribute__((noipa)) int caller(int x)
{
	uintptr_t before = my_r2();
	int r = key(x);

	if (my_r2() != before)
		return -1000000;
	return r + bias - 100;	/* read through the TOC after the call */
}

/* An early exit before the site: the prologue (and its TOC save) may be
   shrink-wrapped onto the path holding the site only. */
static volatile int fast_value = 7;
__attribute__((noipa)) int caller_early(int x, const int *p)
{
	uintptr_t before;
	int r;

	if (__builtin_expect(p == NULL, 1))
		return fast_value;
	before = my_r2();
	r = key(x + *p);
	if (my_r2() != before)
		return -1000000;
	return r + bias - 100;
}

/* alloca moves r1: the prologue's save would be at the wrong 24(r1), so
   the plugin does not mark this site, and the runtime uses a stub. */
__attribute__((noipa)) int caller_vla(int x)
{
	volatile char buf[x > 0 ? x : 1];
	uintptr_t before = my_r2();
	int r;

	buf[0] = 1;
	r = key(x + buf[0] - 1);
	if (my_r2() != before)
		return -1000000;
	return r + bias - 100;
}

static uint32_t word(uintptr_t a)
{
	return *(volatile uint32_t *)a;
}

static uintptr_t bl_dest(uintptr_t site)
{
	uint32_t w = word(site);

	CHECK((w & 0xfc000003u) == 0x48000001u);
	CHECK(word(site + 4) == 0xe8410018u);	/* ld r2,24(r1) */
	return site + (intptr_t)((int64_t)((uint64_t)(w & 0x03fffffcu) << 38) >> 38);
}

/* Where a direct call to @fn enters it: after its TOC prologue, or at 0. */
static uintptr_t local_entry(uintptr_t fn)
{
	if ((word(fn) & 0xffff0000u) == 0x3c4c0000u &&
	    (word(fn + 4) & 0xffff0000u) == 0x38420000u)
		return fn + 8;
	return fn;
}

static int is_stub(uintptr_t a)
{
	return word(a) == 0xf8410018u;	/* std r2,24(r1) */
}

/* Check every site of @k in [@start, @stop): with TOC_SAVED a direct bl to
   @direct (0: a stub), without it always a stub.  Returns TOC_SAVED sites. */
static int check_sites(struct staticcall_site_rec *start,
		       struct staticcall_site_rec *stop, void *k,
		       uintptr_t direct, int *unsaved)
{
	struct staticcall_site_rec *r;
	int saved = 0;

	for (r = start; r < stop; r++) {
		uintptr_t s = staticcall_site_addr(r), d;

		if (staticcall_site_is_definition(r) ||
		    staticcall_site_key(r)->ident != (uintptr_t)k)
			continue;
		d = bl_dest(s);
		if (staticcall_site_flags(r) & STATICCALL_SITE_TOC_SAVED) {
			saved++;
			if (direct)
				CHECK(d == direct);
			else
				CHECK(is_stub(d));
		} else {
			++*unsaved;
			CHECK(is_stub(d));
		}
	}
	return saved;
}

static void expect(void *k, uintptr_t direct)
{
	int unsaved = 0;

	CHECK(check_sites(__start_staticcall_sites, __stop_staticcall_sites,
			  k, direct, &unsaved) == 2);
	CHECK(unsaved == 1);	/* caller_vla */
}

static int all(int x, int want)
{
	int one = 1;

	return caller(x) == want && caller_early(x - 1, &one) == want &&
	       caller_vla(x) == want && caller_early(x, NULL) == 7;
}

static volatile int stop;
static volatile long bad, calls, seen[4], lseen[2];

/* One of the four targets' results (x = 1), or bad. */
static void classify(int r)
{
	if (r == 101)
		seen[0] = 1;
	else if (r == 501)
		seen[1] = 1;
	else if (r == 2001)
		seen[2] = 1;
	else if (r == 3)
		seen[3] = 1;
	else
		__atomic_fetch_add(&bad, 1, __ATOMIC_RELAXED);
}

static void *worker(void *arg)
{
	long n = 0;
	int one = 1;

	(void)arg;
	while (!stop) {
		int r = caller(1), e = caller_early(0, &one), v = caller_vla(1);
		int f = caller_early(1, NULL), l = toc_lib_call(1);

		classify(r);
		classify(e);
		classify(v);
		if (f != 7)
			bad++;
		if (l == 3001)
			lseen[0] = 1;
		else if (l == 4001)
			lseen[1] = 1;
		else
			bad++;
		n++;
	}
	__atomic_fetch_add(&calls, n, __ATOMIC_RELAXED);
	return NULL;
}

int main(void)
{
	int (*targets[4])(int) = { key, same, toc_lib_far, notoc };
	struct staticcall_site_rec *ls, *le;
	pthread_t th[2];
	time_t t0;
	int i, n, unsaved = 0;

	/* registered: the default is a same-TOC target, called directly */
	CHECK(all(1, 101));
	expect(key, local_entry((uintptr_t)key));
	CHECK(local_entry((uintptr_t)key) == (uintptr_t)key + 8);

	CHECK(staticcall_update(key, same) == 0);
	CHECK(all(1, 501));
	expect(key, local_entry((uintptr_t)same));

	CHECK(staticcall_update(key, toc_lib_far) == 0);
	CHECK(all(1, 2001));
	expect(key, 0);		/* another TOC: a stub */

	CHECK(staticcall_update(key, notoc) == 0);
	CHECK(all(1, 3));
	expect(key, (uintptr_t)notoc);	/* no prologue: local entry at 0 */
	CHECK(local_entry((uintptr_t)notoc) == (uintptr_t)notoc);

	CHECK(staticcall_reset(key) == 0);
	CHECK(all(1, 101));
	expect(key, (uintptr_t)key + 8);

	/* the library's site: the library's TOC is the site's.  Its key at
	   the default, registration wrote nothing (the plugin emitted the r2
	   restore): the site is as the linker left it, through a PLT stub */
	toc_lib_sites(&ls, &le);
	CHECK(toc_lib_call(1) == 3001);
	CHECK(check_sites(ls, le, toc_lib_key, 0, &unsaved) == 1);
	CHECK(staticcall_update(toc_lib_key, toc_lib_near) == 0);
	CHECK(toc_lib_call(1) == 4001);
	CHECK(check_sites(ls, le, toc_lib_key,
			  local_entry((uintptr_t)toc_lib_near), &unsaved) == 1);
	CHECK(local_entry((uintptr_t)toc_lib_near) == (uintptr_t)toc_lib_near + 8);
	CHECK(staticcall_update(toc_lib_key, same) == 0);	/* program: stub */
	CHECK(toc_lib_call(1) == 501 - 100 + 2000 - 2000 + 100);
	CHECK(check_sites(ls, le, toc_lib_key, 0, &unsaved) == 1);
	CHECK(staticcall_reset(toc_lib_key) == 0);
	CHECK(toc_lib_call(1) == 3001);
	CHECK(unsaved == 0);

	for (i = 0; i < 2; i++)
		CHECK(pthread_create(&th[i], NULL, worker, NULL) == 0);
	t0 = time(NULL);
	for (n = 0; (n < 400 || !seen[0] || !seen[1] || !seen[2] || !seen[3] ||
		     !lseen[0] || !lseen[1]) && time(NULL) - t0 < 30; n++) {
		/* same TOC -> other TOC -> no TOC -> same TOC ... */
		CHECK(staticcall_update(key, targets[n & 3]) == 0);
		CHECK((n & 1 ? staticcall_reset(toc_lib_key) :
		       staticcall_update(toc_lib_key, toc_lib_near)) == 0);
	}
	stop = 1;
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	fprintf(stderr, "%d retargets, %ld calls, %ld bad, seen %ld%ld%ld%ld %ld%ld\n",
		n, calls, bad, seen[0], seen[1], seen[2], seen[3], lseen[0], lseen[1]);
	CHECK(bad == 0 && seen[0] && seen[1] && seen[2] && seen[3] &&
	      lseen[0] && lseen[1]);
	CHECK(staticcall_reset(key) == 0 && staticcall_reset(toc_lib_key) == 0);
	CHECK(all(1, 101) && toc_lib_call(1) == 3001);
	return 0;
}
