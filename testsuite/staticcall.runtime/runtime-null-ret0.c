/* NULL and return-0 targets: a void key set to NULL does nothing (its
   arguments still evaluated; a tail site returns), a key set to
   __static_call_return0 yields 0 at call and tail sites; both revert.  */
/* { dg-do run } */

#include <errno.h>
#include <staticcall.h>

static int hits;

void notify(int *p) __attribute__((static_call));
__attribute__((noipa)) void notify(int *p) { *p += 1; hits++; }
__attribute__((noipa)) void notify2(int *p) { *p += 2; hits++; }

long value(long x) __attribute__((static_call));
__attribute__((noipa)) long value(long x) { return x + 1; }

__attribute__((noipa)) static void call_notify(int *p) { notify(p); *p += 10; }
__attribute__((noipa)) static void tail_notify(int *p) { notify(p); }
__attribute__((noipa)) static int side(int *p) { (*p)++; return 0; }
__attribute__((noipa)) static void args_notify(int *p, int *q) { notify(p + side(q)); }
__attribute__((noipa)) static long call_value(long x) { return value(x) * 2 + 1; }
__attribute__((noipa)) static long tail_value(long x) { return value(x); }

int main(void)
{
	int a = 0, q = 0;

	call_notify(&a);
	tail_notify(&a);
	if (a != 12 || hits != 2)
		return 1;
	if (staticcall_update_null(notify) != 0)
		return 2;
	if (staticcall_query(notify) != 0)
		return 3;
	a = 0;
	call_notify(&a);
	tail_notify(&a);
	args_notify(&a, &q);
	if (a != 10 || hits != 2 || q != 1)
		return 4;
	if (staticcall_update(notify, notify2) != 0)
		return 5;
	a = 0;
	call_notify(&a);
	tail_notify(&a);
	if (a != 14 || hits != 4)
		return 6;
	if (staticcall_reset(notify) != 0)
		return 7;

	if (call_value(4) != 11 || tail_value(4) != 5)
		return 8;
	if (staticcall_update_null(value) != -EINVAL || call_value(4) != 11)
		return 9;
	if (staticcall_update_ret0(value) != 0)
		return 10;
	if (call_value(4) != 1 || tail_value(4) != 0)
		return 11;
	if ((void *)staticcall_query(value) != (void *)__static_call_return0)
		return 12;
	if (staticcall_reset(value) != 0 || call_value(4) != 11 || tail_value(4) != 5)
		return 13;
	return 0;
}
