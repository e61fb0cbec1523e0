/* ppc64le binds every site to a TOC-saving stub at registration, so an object
   needs one veneer per key even before any update: 160 keys must register. */
/* { dg-do run { target powerpc64le-*-* } } */

#include <stdio.h>
#include <staticcall.h>

#define KEY(i)								\
	__attribute__((static_call, noinline)) int k##i(int x);	\
	__attribute__((noinline)) int k##i(int x) { return x + i; }	\
	__attribute__((noinline)) int alt##i(int x) { return x - i; }
#define USE(i)								\
	if (k##i(1000) != 1000 + i) bad++;				\
	if (staticcall_update(k##i, alt##i)) bad++;			\
	if (k##i(1000) != 1000 - i) bad++;

#define X10(M, d) M(d##0) M(d##1) M(d##2) M(d##3) M(d##4) M(d##5) M(d##6) \
	M(d##7) M(d##8) M(d##9)
#define ALL(M) X10(M, 1) X10(M, 2) X10(M, 3) X10(M, 4) X10(M, 5) X10(M, 6) \
	X10(M, 7) X10(M, 8) X10(M, 9) X10(M, 10) X10(M, 11) X10(M, 12) \
	X10(M, 13) X10(M, 14) X10(M, 15) X10(M, 16)

ALL(KEY)

int main(void)
{
	int bad = 0;

	ALL(USE)
	if (bad)
		fprintf(stderr, "%d wrong\n", bad);
	return bad != 0;
}
