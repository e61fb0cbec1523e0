/* ppc64le: calls with more than 8 integer and 13 FP arguments (parameters on
   the stack) through TOC-saving stubs, to a same-TOC and a cross-TOC target. */
/* { dg-do run { target powerpc64le-*-* } } */
/* { dg-staticcall-shared "arch-powerpc64-args-lib.c" scargs } */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <staticcall.h>
#include "../lib/sctest.h"


#define PARAMS long a, long b, long c, long d, long e, long f, long g, long h, \
	long i, long j, double d1, double d2, double d3, double d4, double d5, \
	double d6, double d7, double d8, double d9, double d10, double d11, \
	double d12, double d13, double d14

long many_lib(PARAMS);

static volatile long exe_k = 2000;

__attribute__((noinline)) static long body(PARAMS)
{
	return exe_k + a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g +
	       8 * h + 9 * i + 10 * j +
	       (long)(d1 + 2 * d2 + 3 * d3 + 4 * d4 + 5 * d5 + 6 * d6 + 7 * d7 +
		      8 * d8 + 9 * d9 + 10 * d10 + 11 * d11 + 12 * d12 +
		      13 * d13 + 14 * d14);
}

#define ARGS a, b, c, d, e, f, g, h, i, j, d1, d2, d3, d4, d5, d6, d7, d8, \
	d9, d10, d11, d12, d13, d14

__attribute__((static_call, noinline)) long many(PARAMS);
__attribute__((noinline)) long many(PARAMS)
{
	return body(ARGS);
}

/* A second same-TOC target (its body reads the TOC). */
__attribute__((noinline)) long many2(PARAMS)
{
	return body(ARGS) + 1;
}

static uintptr_t my_r2(void)
{
	uintptr_t r2;

	__asm__ volatile("mr %0,2" : "=r"(r2));
	return r2;
}

__attribute__((noinline)) static long site(long k)
{
	uintptr_t before = my_r2();
	long r = many(k, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1, 2, 3, 4, 5, 6, 7, 8,
		      9, 10, 11, 12, 13, 14 * k);

	CHECK(my_r2() == before);
	return r + exe_k - 2000;
}

int main(void)
{
	/* 1+4+..+100 = 385 minus 1 (a = k), FP: 1+4+..+169 = 819 + 196 k */
	long base = 384 + 819, r;

	r = site(1);
	CHECK(r == 2000 + base + 1 + 196);
	CHECK(staticcall_update(many, many_lib) == 0);
	CHECK(site(1) == 1000 + base + 1 + 196);
	CHECK(site(2) == 1000 + base + 2 + 2 * 196);
	CHECK(staticcall_update(many, many2) == 0);
	CHECK(site(3) == 2000 + base + 3 + 3 * 196 + 1);
	CHECK(staticcall_reset(many) == 0);
	CHECK(site(1) == 2000 + base + 1 + 196);
	return 0;
}
