/* Second unit of runtime-multi-tu.c (not a test by itself): a call site
   and a tail site of the shared key.  */
#include "runtime-multi-tu.h"

__attribute__((noipa)) int there(int x) { return shared_key(x) * 1; }
__attribute__((noipa)) int there_tail(int x) { return shared_key(x); }
