/* A batch of 130 keys (more than the 64 of old): one plan, all applied;
   a key given twice anywhere in it refuses the whole batch, nothing
   changed; a batch of 0 is fine.  */
/* { dg-do run } */

#include <errno.h>
#include <stdio.h>
#include <staticcall.h>

#define N 130
#define K10(m, a) m(a##0) m(a##1) m(a##2) m(a##3) m(a##4) m(a##5) m(a##6) m(a##7) m(a##8) m(a##9)
#define KEYS(m) K10(m, 1) K10(m, 2) K10(m, 3) K10(m, 4) K10(m, 5) K10(m, 6) \
	K10(m, 7) K10(m, 8) K10(m, 9) K10(m, 10) K10(m, 11) K10(m, 12) K10(m, 13)

#define DEF(i)								\
	int key##i(int) __attribute__((static_call));			\
	__attribute__((noipa)) int key##i(int x) { return x + i; }	\
	__attribute__((noipa)) int call##i(int x) { return key##i(x); }
KEYS(DEF)

__attribute__((noipa)) static int other(int x) { return -x; }

#define ENTRY(i)	v[n++] = STATICCALL_RETARGET(key##i, other);
#define CALL(i)		call##i,
static struct staticcall_retarget v[N + 1];
static int (*const calls[N])(int) = { KEYS(CALL) };

static int all(int redirected)
{
	int i;

	for (i = 0; i < N; i++)
		if (calls[i](1) != (redirected ? -1 : 1 + 10 + i))
			return 0;
	return 1;
}

int main(void)
{
	int n = 0;

	KEYS(ENTRY)
	if (n != N || !all(0) || staticcall_update_batch(v, 0) != 0)
		return 1;
	/* the first key again at the end: refused, nothing written */
	v[N] = v[0];
	if (staticcall_update_batch(v, N + 1) != -EINVAL || !all(0))
		return 2;
	if (staticcall_update_batch(v, N) != 0 || !all(1))
		return 3;
	if (staticcall_query(key100) != other || staticcall_reset(key100) ||
	    call100(1) != 1 + 100)
		return 4;
	/* the marks of the refused batch were cleared: once each is fine */
	if (staticcall_update_batch(v + 90, 1) != 0 || !all(1))
		return 5;
	return 0;
}
