/* A target more than 4 GB away from the sites (code mapped far from the
   program's text) is reached through a veneer; a second far target reuses
   it, a near target goes direct again, reset restores the default.
   Why: beyond +-2 GB (x86-64), +-128 MB (arm64), +-32 MB (ppc64) reach.  */
/* { dg-do run } */

#include <stdint.h>
#include <stdio.h>
#include <staticcall.h>
#include "../lib/sctest-far.h"

typedef int fn_t(int);

int near_key(int x) __attribute__((static_call));
__attribute__((noipa)) int near_key(int x) { return x + 1; }
__attribute__((noipa)) int near_alt(int x) { return x + 2; }

__attribute__((noipa)) int call_it(int x) { return near_key(x) * 1 + 0 * x; }
__attribute__((noipa)) int tail_it(int x) { return near_key(x); }

int main(void)
{
	uintptr_t text = (uintptr_t)near_key;
	fn_t *f10, *f20;

	if (sctest_far_targets(&text, 1, &f10, &f20)) {
		printf("no far mapping\n");
		return 1;
	}
	if (f10(1) != 11 || f20(1) != 21)
		return 3;

	if (call_it(1) != 2 || tail_it(1) != 2)
		return 4;
	if (staticcall_update(near_key, f10) != 0)
		return 5;
	if (call_it(1) != 11 || tail_it(1) != 11 || near_key(1) != 11)
		return 6;
	if (staticcall_query(near_key) != f10)
		return 7;
	if (staticcall_update(near_key, f20) != 0)
		return 8;
	if (call_it(1) != 21 || tail_it(1) != 21)
		return 9;
	if (staticcall_update(near_key, near_alt) != 0)
		return 10;
	if (call_it(1) != 3 || tail_it(1) != 3)
		return 11;
	if (staticcall_update(near_key, f10) != 0 || call_it(1) != 11)
		return 12;
	if (staticcall_reset(near_key) != 0 || call_it(1) != 2 || tail_it(1) != 2)
		return 13;
	return 0;
}
