/* Shared-library half of arch-powerpc64-args.c: a 10-integer, 14-double
   replacement (stack parameters on ppc64le) that leaves by a sibling call. */
#include <stdint.h>

static volatile long lib_k = 1000;

__attribute__((noinline)) static long many_helper(long a, long b, long c, long d,
	long e, long f, long g, long h, long i, long j, double d1, double d2,
	double d3, double d4, double d5, double d6, double d7, double d8,
	double d9, double d10, double d11, double d12, double d13, double d14)
{
	return lib_k + a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g +
	       8 * h + 9 * i + 10 * j +
	       (long)(d1 + 2 * d2 + 3 * d3 + 4 * d4 + 5 * d5 + 6 * d6 + 7 * d7 +
		      8 * d8 + 9 * d9 + 10 * d10 + 11 * d11 + 12 * d12 +
		      13 * d13 + 14 * d14);
}

/* A tail call (same TOC): leaves through `b many_helper`. */
long many_lib(long a, long b, long c, long d, long e, long f, long g, long h,
	      long i, long j, double d1, double d2, double d3, double d4,
	      double d5, double d6, double d7, double d8, double d9,
	      double d10, double d11, double d12, double d13, double d14)
{
	return many_helper(a, b, c, d, e, f, g, h, i, j, d1, d2, d3, d4, d5,
			   d6, d7, d8, d9, d10, d11, d12, d13, d14);
}
