/* The link-time assert idiom (Linux's BUILD_BUG, GCC's own c-torture):
   a call the optimiser removes must leave no reference behind, so the
   program links as it does without the plugin.  The call that stays is
   still a site.  (-O0 removes none of these calls, nor an unused static
   function, with or without the plugin: only the last call is made.)  */
/* { dg-staticcall-plugin-options "-fplugin-arg-staticcall-keys=all" } */

#include <stdio.h>

extern void link_error (void);

#ifdef __OPTIMIZE__
/* Removed with its last call: a static function that calls link_error. */
static void never (void) { link_error (); }
#endif

__attribute__((noinline)) static int kept (int x) { return x + 1; }

int
main (void)
{
  int x = 0;

#ifdef __OPTIMIZE__
  if (0)
    link_error ();
  if (sizeof (int) < 2)
    never ();
  if (x)
    link_error ();
  if (x * 2)
    never ();
#endif
  printf ("%d\n", kept (x));
  return 0;
}
