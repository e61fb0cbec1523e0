/* static_call keys (functions and a function pointer) behave as plain calls while nobody retargets them.
   The same source is built without the plugin, where SC expands to nothing.  */

#include <stdio.h>

#ifdef __STATICCALL__
#define SC __attribute__ ((static_call))
#else
#define SC
#endif

SC int twice (int);
SC void note (const char *, int);
static int triple_impl (int x) { return 3 * x; }
SC static int (*triple) (int) = triple_impl;

int twice (int x) { return 2 * x; }
void note (const char *what, int v) { printf ("%s = %d\n", what, v); }

__attribute__ ((noinline)) int chain (int x) { return twice (triple (x)); }
__attribute__ ((noinline)) int tail (int x) { return twice (x + 1); }

int
main (void)
{
  int acc = 0;
  for (int i = 0; i < 100; i++)
    acc += chain (i) - tail (i);
  note ("acc", acc);
  note ("chain(7)", chain (7));
  note ("tail(7)", tail (7));
  return 0;
}
