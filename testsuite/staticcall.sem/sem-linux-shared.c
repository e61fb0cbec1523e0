/* The Linux API across a shared library: the name is DEFINEd in the library,
   called from both; updates from the program to program and library
   functions, NULL and back reach every site of both objects.  */
/* { dg-do run } */
/* { dg-staticcall-shared "sem-linux-shared-lib.c" semlx } */
#include <stdio.h>
#include "sem-linux-shared.h"
#include "../lib/sctest.h"

__attribute__((noipa)) static int prog_add5(int x) { return x + 5; }
__attribute__((noipa)) void lib_note(int *p) { *p += 1; }
__attribute__((noipa)) static int prog_call(int x) { return static_call(shr_op)(x); }


int main(void)
{
	int a = 0;

	CHECK(prog_call(1) == 2 && lib_call(1) == 20);
	CHECK(static_call_update(shr_op, prog_add5) == 0);
	CHECK(prog_call(1) == 6 && lib_call(1) == 60);
	CHECK(static_call_query(shr_op) == prog_add5);
	CHECK(static_call_update(shr_op, lib_add1) == 0);
	CHECK(prog_call(1) == 2 && lib_call(1) == 20);
	lib_hook(&a);
	static_call_cond(shr_hook)(&a);
	CHECK(a == 100);
	CHECK(static_call_update(shr_hook, lib_note) == 0);
	lib_hook(&a);
	static_call_cond(shr_hook)(&a);
	CHECK(a == 202);
	CHECK(static_call_update(shr_hook, NULL) == 0);
	lib_hook(&a);
	CHECK(a == 302 && static_call_query(shr_hook) == NULL);
	printf("ok\n");
	return 0;
}
