/* Function-pointer keys: calls through a static_call pointer follow
   staticcall_update; the variable itself always holds the current target.
   Why: the patchable-function-pointer form of a key.  */
/* { dg-do run } */

#include <staticcall.h>

__attribute__((noipa)) static long mul2(long x) { return x * 2; }
__attribute__((noipa)) static long mul3(long x) { return x * 3; }
__attribute__((noipa)) static long mul5(long x) { return x * 5; }

long (*hook)(long) __attribute__((static_call)) = mul2;

__attribute__((noipa)) static long call_hook(long x) { return hook(x) + 1; }
__attribute__((noipa)) static long tail_hook(long x) { return hook(x); }

int main(void)
{
	int i;

	if (hook(7) != 14 || call_hook(7) != 15 || tail_hook(7) != 14)
		return 1;
	if (staticcall_query(hook) != mul2)
		return 2;
	for (i = 0; i < 500; i++) {
		long (*t)(long) = (i & 1) ? mul5 : mul3;
		long m = (i & 1) ? 5 : 3;

		if (staticcall_update(hook, t) != 0)
			return 3;
		if (hook != t || staticcall_query(hook) != t)
			return 4;
		if (hook(7) != 7 * m || call_hook(7) != 7 * m + 1 ||
		    tail_hook(7) != 7 * m)
			return 5;
	}
	if (staticcall_reset(hook) != 0 || hook != mul2 || hook(7) != 14 ||
	    call_hook(7) != 15)
		return 6;
	return 0;
}
