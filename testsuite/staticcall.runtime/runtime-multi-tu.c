/* One key with sites in three translation units (this file and
   runtime-multi-tu-b.c): one update retargets every site of every unit.
   Why: key records with equal ident are one key.  */
/* { dg-do run } */
/* { dg-additional-sources "runtime-multi-tu-b.c" } */

#include "runtime-multi-tu.h"

__attribute__((noipa)) int shared_key(int x) { return x + 1; }
__attribute__((noipa)) int shared_alt(int x) { return x + 7; }
__attribute__((noipa)) static int here(int x) { return shared_key(x); }

int main(void)
{
	if (here(0) != 1 || there(0) != 1 || there_tail(0) != 1)
		return 1;
	if (staticcall_update(shared_key, shared_alt) != 0)
		return 2;
	if (here(0) != 7 || there(0) != 7 || there_tail(0) != 7)
		return 3;
	if (staticcall_reset(shared_key) != 0)
		return 4;
	if (here(0) != 1 || there(0) != 1 || there_tail(0) != 1)
		return 5;
	return 0;
}
