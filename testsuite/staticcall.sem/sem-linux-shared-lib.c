/* Library half of sem-linux-shared.c: DEFINE_STATIC_CALL here, calls here
   and in the program; the library's own sites follow the program's updates.  */
#include "sem-linux-shared.h"

int lib_add1(int x) { return x + 1; }

DEFINE_STATIC_CALL(shr_op, lib_add1);
DEFINE_STATIC_CALL_NULL(shr_hook, lib_note);

__attribute__((noipa)) int lib_call(int x)
{
	return static_call(shr_op)(x) * 10;
}

__attribute__((noipa)) void lib_hook(int *p)
{
	static_call_cond(shr_hook)(p);
	*p += 100;
}
