/* Part of comdat-key.c: libcka.so, with its own copy of the key and its sites.  */
#include <staticcall.h>
#include "comdat-key.h"
int ck_lib (int x) { return x + 500; }
__attribute__ ((noinline)) int a_call (int x) { return ck (x); }
int a_update (void) { return staticcall_update (ck, ck_lib); }
