/* One key, sites in the program, a linked shared library and a dlopen'd one: an update reaches all three,
   and a library loaded after the update calls the new target from the start (objects register themselves).  */
/* { dg-staticcall-shared "link-and-dlopen-linked.c" lad_linked } */
/* { dg-staticcall-shared "link-and-dlopen-loaded.c" lad_loaded dlopen } */

#include <dlfcn.h>
#include <stdio.h>
#include <staticcall.h>

int hook (int) __attribute__ ((static_call));
int hook (int x) { return x + 1; }
int hook_new (int x) { return x + 100; }

int from_linked (int);

__attribute__ ((noinline)) int from_main (int x) { return hook (x); }

int
main (void)
{
  if (from_main (1) != 2 || from_linked (1) != 2)
    return 1;
  if (staticcall_update (hook, hook_new) != 0)
    return 2;
  if (from_main (1) != 101 || from_linked (1) != 101)
    return 3;
  void *h = dlopen ("liblad_loaded.so", RTLD_NOW);
  if (!h)
    {
      printf ("dlopen: %s\n", dlerror ());
      return 4;
    }
  int (*from_loaded) (int) = (int (*) (int)) dlsym (h, "from_loaded");
  if (!from_loaded || from_loaded (1) != 101)
    return 5;
  if (staticcall_reset (hook) != 0)
    return 6;
  if (from_main (1) != 2 || from_linked (1) != 2 || from_loaded (1) != 2)
    return 7;
  dlclose (h);
  if (staticcall_update (hook, hook_new) != 0 || from_main (1) != 101)
    return 8;
  return 0;
}
