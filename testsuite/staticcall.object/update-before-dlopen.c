/* A key defined in the program whose only sites are in a library loaded later: an update before dlopen
   succeeds and the library, its constructor included, starts on the new target (issue 27, item 1).  */
/* { dg-staticcall-shared "update-before-dlopen-lib.c" ubd_lib dlopen } */
/* { dg-options "-rdynamic" } */

#include <dlfcn.h>
#include <stdio.h>
#include <staticcall.h>
#include "../lib/sctest.h"

int work (int) __attribute__ ((static_call));
int work (int x) { return x; }
int work_v2 (int x) { return x * 10; }

/* what the library's constructor got from work (1) */
int ubd_ctor_result = -1;

int
main (void)
{
  int bad = 0;

  CHECK (staticcall_update (work, work_v2) == 0);
  CHECK (staticcall_query (work) == work_v2);
  void *h = dlopen ("libubd_lib.so", RTLD_NOW);
  if (!h)
    {
      printf ("dlopen: %s\n", dlerror ());
      return 1;
    }
  int (*lib_call) (int) = (int (*) (int)) dlsym (h, "lib_call");
  CHECK (lib_call);
  EXPECT (ubd_ctor_result == 10, bad);
  EXPECT (lib_call (3) == 30, bad);
  /* back to the default, and once more while the library is loaded */
  CHECK (staticcall_reset (work) == 0);
  EXPECT (lib_call (3) == 3, bad);
  CHECK (staticcall_update (work, work_v2) == 0);
  EXPECT (lib_call (3) == 30, bad);
  dlclose (h);
  /* the library is gone: the key still is the program's */
  CHECK (staticcall_query (work) == work_v2);
  CHECK (staticcall_reset (work) == 0);
  return bad != 0;
}
