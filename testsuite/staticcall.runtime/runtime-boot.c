/* Boot selection: a key retargeted in a constructor and at the top of main
   before its first call; the very first call already goes to the choice.
   Why: the ifunc-like use (pick an implementation at start-up).  */
/* { dg-do run } */

#include <staticcall.h>

int impl_generic(int x) __attribute__((static_call));
__attribute__((noipa)) int impl_generic(int x) { return x + 1; }
__attribute__((noipa)) int impl_fast(int x) { return x + 100; }

int other(int x) __attribute__((static_call));
__attribute__((noipa)) int other(int x) { return x * 2; }
__attribute__((noipa)) int other_fast(int x) { return x * 3; }

static int ctor_err = 1;

/* after the registration constructor (priority 101) */
__attribute__((constructor(200))) static void pick(void)
{
	ctor_err = staticcall_update(impl_generic, impl_fast);
}

int main(void)
{
	if (ctor_err != 0)
		return 1;
	if (staticcall_update(other, other_fast) != 0)
		return 2;
	if (impl_generic(1) != 101)
		return 3;
	if (other(5) != 15)
		return 4;
	if (staticcall_query(impl_generic) != impl_fast)
		return 5;
	return 0;
}
