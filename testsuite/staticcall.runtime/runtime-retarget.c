/* Retarget one key many times, calling it (and a tail site) after each
   change; query follows, reset returns to the default, a no-op update is 0.
   Why: the basic run-time contract of staticcall_update/query/reset.  */
/* { dg-do run } */

#include <stdio.h>
#include <staticcall.h>

int op(int x) __attribute__((static_call));
__attribute__((noipa)) int op(int x) { return x + 1; }
__attribute__((noipa)) int op2(int x) { return x + 2; }
__attribute__((noipa)) int op3(int x) { return x + 3; }

__attribute__((noipa)) static int via_tail(int x) { return op(x); }
__attribute__((noipa)) static int via_call(int x) { return op(x) * 10; }

int main(void)
{
	int (*const t[3])(int) = { op, op2, op3 };
	int i;

	if (op(0) != 1 || via_tail(0) != 1 || via_call(0) != 10)
		return 1;
	for (i = 0; i < 3000; i++) {
		int k = i % 3;

		if (staticcall_update(op, t[k]) != 0)
			return 2;
		if (op(0) != k + 1 || via_tail(0) != k + 1 ||
		    via_call(0) != (k + 1) * 10) {
			printf("iteration %d: %d %d %d\n", i, op(0), via_tail(0),
			       via_call(0));
			return 3;
		}
		if (staticcall_query(op) != t[k])
			return 4;
	}
	if (staticcall_update(op, op3) != 0 || staticcall_update(op, op3) != 0)
		return 5;
	if (op(0) != 3)
		return 6;
	if (staticcall_reset(op) != 0 || op(0) != 1 || via_tail(0) != 1)
		return 7;
	if (staticcall_query(op) != op)
		return 8;
	return 0;
}
