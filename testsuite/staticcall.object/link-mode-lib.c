/* Part of the link-*.c tests: a shared library with sites of the program's key and a key of its own
   that it retargets itself (a -shared object registers and patches on its own).  */
#include <staticcall.h>

int hook (int) __attribute__ ((static_call));
__attribute__ ((noinline)) int lib_call (int x) { return hook (x); }

static int own (int) __attribute__ ((static_call));
static int own (int x) { return x - 1; }
static int own_new (int x) { return x - 100; }
__attribute__ ((noinline)) static int own_call (int x) { return own (x); }

int
lib_selftest (void)
{
  if (own_call (1) != 0 || staticcall_update (own, own_new) != 0 || own_call (1) != -99)
    return 1;
  return staticcall_reset (own) != 0 || own_call (1) != 0;
}
