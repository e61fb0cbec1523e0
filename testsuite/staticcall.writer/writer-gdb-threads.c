/* gdb with tools/staticcall-gdb.py does not stop at the default writer's
   parks: two threads call the key's sites while the program updates it
   until threads were parked at least 3 times (the runtime's count,
   staticcall_park_debug), under gdb in batch mode with the script
   sourced; then the program writes to an unmapped address.  gdb must
   stop exactly once, at that write (the script's SIGSEGV catchpoint, in
   crash_here), never with "received signal SIGSEGV" at a park, and the
   program's own results (updates done, no call reaching anything but
   the key's targets) must be those of a run without gdb.  Without the
   script gdb stops at the first park.  The script's path comes from
   writer.exp (STATICCALL_GDB_SCRIPT).  x86-64 only (gdb does not run
   under qemu-user).  */
/* { dg-do run { target x86_64-*-* } } */
/* { dg-options "-O2 -g" } */

#include <stdlib.h>
#include "writer-test.h"
#include "writer-gdb.h"

__attribute__ ((noipa)) void
crash_here (void)
{
  *(volatile int *) 16 = 1;
}

static int
inferior (void)
{
  long n = 0;
  unsigned long parks = 0;

  if (staticcall_park_debug.version != 1 || start_callers ())
    return 2;
  sctest_seconds ();
  while (parks < 3 && n < 200000 && !sctest_enough (n, 1, 60))
    {
      if (staticcall_update (wk, (n++ & 1) ? wa : wb))
	return 3;
      parks = __atomic_load_n (staticcall_park_debug.parks, __ATOMIC_RELAXED);
    }
  stop_all_callers ();
  printf ("updates %ld parks %lu wrong %ld\n", n, parks, wrong_calls);
  fflush (stdout);
  if (parks < 3 || wrong_calls)
    return 4;
  crash_here ();
  return 5;
}

int
main (int argc, char **argv)
{
  static char out[65536];
  const char *gdbpy = getenv ("STATICCALL_GDB_SCRIPT");
  char cmds[4096];

  if (argc > 1)
    return inferior ();
  if (!gdbpy || access (gdbpy, R_OK))
    {
      printf ("STATICCALL_GDB_SCRIPT: %s\n", gdbpy ? gdbpy : "not set");
      return 6;
    }
  snprintf (cmds, sizeof cmds,
	    "set pagination off\n"
	    "set confirm off\n"
	    "source %s\n"
	    "run inferior\n"
	    "info symbol $pc\n"
	    "print $_staticcall_parked()\n"
	    "kill\n", gdbpy);
  if (gdb_run (argv[0], cmds, out, sizeof out) < 0)
    return 7;
  if (!strstr (out, "wrong 0") || gdb_count (out, "(signal SIGSEGV)") != 1
      || !strstr (out, "(signal SIGSEGV), crash_here ()")
      || !strstr (out, "$1 = 0")
      || strstr (out, "received signal") || strstr (out, "staticcall:"))
    return 9;
  printf ("gdb: no stop at a park, one at the real fault\n");
  return 0;
}
