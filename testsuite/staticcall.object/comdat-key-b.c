/* Part of comdat-key.c: libckb.so, another copy of the key with sites.  */
#include "comdat-key.h"
__attribute__ ((noinline)) int b_call (int x) { return ck (x); }
