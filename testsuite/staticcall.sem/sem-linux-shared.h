/* sem-linux-shared.h: names of sem-linux-shared.c and its library. */
#include <staticcall/linux.h>

int lib_add1(int x);
void lib_note(int *p);
int lib_call(int x);
void lib_hook(int *p);

DECLARE_STATIC_CALL(shr_op, lib_add1);
DECLARE_STATIC_CALL(shr_hook, lib_note);
