/* Under MDWE, a library dlopen'ed after its key was retargeted has its
   sites written before dlopen returns (its constructor already calls the
   current target: no silent split), follows later updates, and dlclose
   forgets its text: the next load (often at the same address) is written
   through a fresh alias, round after round, two threads calling the
   program's sites all along.  x86-64 only under qemu-user (see
   writer.exp); the system lane runs it elsewhere (exit 77 without MDWE,
   which Linux 6.1 has not).  */
/* { dg-do run { target x86_64-*-* } } */
/* { dg-staticcall-system "" } */
/* { dg-options "-O2 -rdynamic" } */
/* { dg-staticcall-shared "writer-dlopen-lib.c" wdl dlopen } */

#include <dlfcn.h>
#include "writer-test.h"

int
main (void)
{
  int round;

  if (prctl (PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0))
    {
      if (errno != EINVAL)
	return 2;
      printf ("PR_SET_MDWE needs Linux 6.3 or later (EINVAL here)\n");
      return 77;
    }
  if (start_callers ())
    return 3;
  for (round = 0; round < 40; round++)
    {
      int (*want) (int) = (round & 1) ? wa : wb, (*call) (int), (*tail) (int);
      void *h;
      int *ctor;

      if (staticcall_update (wk, want) || use_call (0) != want (0))
	return 4;
      h = dlopen ("libwdl.so", RTLD_NOW);
      if (!h)
	{
	  printf ("dlopen: %s\n", dlerror ());
	  return 5;
	}
      ctor = (int *) dlsym (h, "ctor_result");
      call = (int (*) (int)) dlsym (h, "lib_call");
      tail = (int (*) (int)) dlsym (h, "lib_tail");
      if (!ctor || !call || !tail)
	return 6;
      if (*ctor != want (0) || call (0) != want (0) || tail (0) != want (0)
	  || staticcall_query (wk) != want)
	{
	  printf ("round %d: constructor %d, call %d, tail %d, want %d\n",
		  round, *ctor, call (0), tail (0), want (0));
	  return 7;
	}
      if (staticcall_update (wk, wc) || call (0) != 4 || tail (0) != 4
	  || use_call (0) != 4)
	return 8;
      if (dlclose (h))
	return 9;
      if (staticcall_reset (wk) || use_call (0) != 1)
	return 10;
    }
  stop_all_callers ();
  if (wrong_calls || maps_rwx ())
    return 11;
  printf ("40 loads under MDWE, writer %s, %ld thread calls, 0 wrong\n",
	  staticcall_host_writer (), thread_calls);
  return 0;
}
