/* runtime-multi-tu.h - the key shared by runtime-multi-tu.c and -b.c.  */
#include <staticcall.h>

int shared_key(int x) __attribute__((static_call));
int shared_alt(int x);
int there(int x);
int there_tail(int x);
