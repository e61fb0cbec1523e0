/* The link-error idiom with the names given: keys=link_error,never is an
   explicit request, and still a removed call leaves nothing behind.  */
/* { dg-staticcall-plugin-options "-fplugin-arg-staticcall-keys=link_error,never,kept" } */
/* { dg-options "-O1" } */

#include <stdio.h>

extern void link_error (void);
static void never (void) { link_error (); }
__attribute__((noinline)) static int kept (int x) { return x + 1; }

int
main (void)
{
  int x = 0;

  if (x)
    link_error ();
  if (x * 2)
    never ();
  printf ("%d\n", kept (x));
  return 0;
}
