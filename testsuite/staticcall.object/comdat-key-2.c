/* Part of comdat-key.c: a second unit of the program with its own copy of the key record.  */
#include "comdat-key.h"
__attribute__ ((noinline)) int unit2_call (int x) { return ck (x); }
