/* Callees the site rule keeps as sites under keys=all behave as without
   the plugin: a weak undefined function (guarded), calls inside an
   OpenMP outlined body, noreturn and nothrow callees, a cold callee.  */
/* { dg-staticcall-plugin-options "-fplugin-arg-staticcall-keys=all" } */
/* { dg-options "-fopenmp" } */

#include <stdio.h>
#include <stdlib.h>

extern int absent (int) __attribute__ ((weak));
__attribute__ ((noinline)) int sq (int x) { return x * x; }
__attribute__ ((noinline, cold)) int rare (int x) { return x - 1; }
__attribute__ ((noinline, noreturn)) void stop (int code) { exit (code); }
__attribute__ ((noinline, nothrow)) int quiet (int x) { return x + 3; }

int
main (void)
{
  long s = 0;
  int r = absent ? absent (1) : quiet (1);

#pragma omp parallel for reduction(+:s) num_threads(2)
  for (int i = 0; i < 1000; i++)
    s += sq (i);
  printf ("%ld %d %d\n", s, r, s > 0 ? rare (5) : 0);
  if (s != 332833500)
    stop (1);
  return 0;
}
