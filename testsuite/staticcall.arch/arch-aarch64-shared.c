/* arm64, built with -mbranch-protection=standard: a program site retargeted to
   a shared-library function and a library site to a program function, while
   threads call both (bl direct or through an x16 veneer, by distance). */
/* { dg-do run { target aarch64-*-* } } */
/* { dg-options "-pthread -mbranch-protection=standard" } */
/* { dg-staticcall-shared "arch-aarch64-shared-lib.c" sca64 } */
/* { dg-final { scan-objdump "paciasp|bti\tc" { target aarch64-*-* } } } */

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <staticcall.h>
#include "../lib/sctest.h"


int lib_fix(int x);
int lib_key(int x) __attribute__((static_call));
int lib_call(int x);

static volatile int bias = 100;

__attribute__((static_call, noinline)) static int buggy(int x);
__attribute__((noinline)) static int buggy(int x)
{
	return x + bias;
}

__attribute__((noinline)) int exe_impl(int x)
{
	return x + bias + 300;
}

__attribute__((noinline)) static int caller(int x)
{
	return buggy(x) + bias - 100;
}

static volatile int stop;
static volatile long bad, calls, seen[4];

static void *worker(void *arg)
{
	long n = 0;

	(void)arg;
	while (!stop) {
		int r = caller(1), s = lib_call(1);

		if (r == 101 || r == 201)
			seen[r == 201] = 1;
		else
			bad++;
		if (s == 301 || s == 401)
			seen[2 + (s == 401)] = 1;
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
	CHECK(staticcall_update(lib_key, exe_impl) == 0);
	CHECK(lib_call(1) == 401);
	CHECK(staticcall_reset(buggy) == 0 && staticcall_reset(lib_key) == 0);
	CHECK(caller(1) == 101 && lib_call(1) == 301);

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
	fprintf(stderr, "%d retargets, %ld calls, %ld bad\n", n, calls, bad);
	CHECK(bad == 0 && seen[0] && seen[1] && seen[2] && seen[3]);
	CHECK(staticcall_reset(buggy) == 0 && staticcall_reset(lib_key) == 0);
	CHECK(caller(1) == 101 && lib_call(1) == 301);
	return 0;
}
