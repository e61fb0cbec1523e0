/* ppc64le kpatch case: a static function made global (static_call_global) is
   retargeted to a shared-library function (another TOC) and back while threads
   call it, and a library site is bound to a program function; r2 must survive. */
/* { dg-do run { target powerpc64le-*-* } } */
/* { dg-options "-pthread" } */
/* { dg-staticcall-shared "arch-powerpc64-kpatch-lib.c" sckp } */
/* { dg-final { scan-objdump "bl\[^\n\]*<buggy\[^\n\]*>\n\[^\n\]*\tld\[ \t\]+r2,24\\(r1\\)" { target powerpc64le-*-* } } } */

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <staticcall.h>
#include "../lib/sctest.h"


int lib_fix(int x);
int lib_key(int x) __attribute__((static_call));
int lib_call(int x);

static volatile int bias = 100;

static uintptr_t my_r2(void)
{
	uintptr_t r2;

	__asm__ volatile("mr %0,2" : "=r"(r2));
	return r2;
}

/* Static in this object: without static_call_global its calls would be a
   bare `bl buggy+8` with no TOC restore and could never reach the library. */
__attribute__((static_call, static_call_global, noinline)) static int buggy(int x);
__attribute__((noinline)) static int buggy(int x)
{
	return x + bias;
}

/* The program's replacement for the library's key: x + 400. */
__attribute__((noinline)) int exe_impl(int x)
{
	return x + bias + 300;
}

/* A site of the static key; -1000000 when r2 changed across it. */
__attribute__((noinline)) static int caller(int x)
{
	uintptr_t before = my_r2();
	int r = buggy(x);

	if (my_r2() != before)
		return -1000000;
	return r + bias - 100;	/* read through the TOC after the call */
}

static volatile int stop;
static volatile long bad, calls, seen[4];

static void *worker(void *arg)
{
	long n = 0;

	(void)arg;
	while (!stop) {
		int r = caller(1), s = lib_call(1);

		if (r == 101)
			seen[0] = 1;
		else if (r == 201)
			seen[1] = 1;
		else
			bad++;
		if (s == 301)
			seen[2] = 1;
		else if (s == 401)
			seen[3] = 1;
		else
			bad++;
		n++;
	}
	__atomic_fetch_add(&calls, n, __ATOMIC_RELAXED);
	return NULL;
}

int main(void)
{
	pthread_t th[2];
	time_t t0;
	int i, n;

	CHECK(caller(1) == 101 && lib_call(1) == 301);
	CHECK(staticcall_update(buggy, lib_fix) == 0);
	CHECK(caller(1) == 201);
	CHECK(staticcall_query(buggy) == lib_fix);
	CHECK(staticcall_reset(buggy) == 0);
	CHECK(caller(1) == 101);
	CHECK(staticcall_update(lib_key, exe_impl) == 0);
	CHECK(lib_call(1) == 401);
	CHECK(staticcall_reset(lib_key) == 0);
	CHECK(lib_call(1) == 301);

	for (i = 0; i < 2; i++)
		CHECK(pthread_create(&th[i], NULL, worker, NULL) == 0);
	t0 = time(NULL);
	for (n = 0; (n < 400 || !seen[0] || !seen[1] || !seen[2] || !seen[3]) &&
		    time(NULL) - t0 < 30; n++) {
		CHECK((n & 1 ? staticcall_reset(buggy) : staticcall_update(buggy, lib_fix)) == 0);
		CHECK((n & 1 ? staticcall_reset(lib_key) : staticcall_update(lib_key, exe_impl)) == 0);
	}
	stop = 1;
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	fprintf(stderr, "%d retargets, %ld calls, %ld bad, seen %ld%ld%ld%ld\n",
		n, calls, bad, seen[0], seen[1], seen[2], seen[3]);
	CHECK(bad == 0 && seen[0] && seen[1] && seen[2] && seen[3]);
	CHECK(staticcall_reset(buggy) == 0 && staticcall_reset(lib_key) == 0);
	CHECK(caller(1) == 101 && lib_call(1) == 301);
	return 0;
}
