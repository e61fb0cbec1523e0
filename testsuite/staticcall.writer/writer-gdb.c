/* The program under gdb (batch mode) behaves as without it: a dynamic
   printf breakpoint (a software breakpoint: int3) on the function whose
   first instruction is a site, set before `run', hits before and after
   updates, one set after updates on another site's function hits too,
   and the program's own results are those of a run without gdb.  The
   runtime tells the debugger's int3 from a corrupt site (it keeps the
   trap and writes the new call under it; the table is not refused) and
   the default writer keeps the text the program's own private file
   mapping, where gdb inserts and removes breakpoints.  The test runs
   itself under gdb (found on PATH; its absence is a failure).
   x86-64 only (gdb does not run under qemu-user).  */
/* { dg-do run { target x86_64-*-* } } */
/* { dg-options "-O2 -g" } */

#include <stdlib.h>
#include "writer-test.h"
#include "writer-gdb.h"

__attribute__ ((noipa)) void
after_updates (void)
{
  __asm__ volatile ("");
}

static int
inferior (void)
{
  int r0, r1, r2, r3;

  r0 = use_call (0);
  if (staticcall_update (wk, wa))
    return 2;
  r1 = use_call (0);
  after_updates ();
  if (staticcall_update (wk, wb))
    return 3;
  r2 = use_call (0);
  r3 = use_tail (0);
  printf ("results %d %d %d %d\n", r0, r1, r2, r3);
  return r0 == 1 && r1 == 2 && r2 == 3 && r3 == 3 ? 0 : 4;
}

int
main (int argc, char **argv)
{
  static char out[65536];

  if (argc > 1)
    return inferior ();
  if (gdb_run (argv[0],
	       "set pagination off\n"
	       "set confirm off\n"
	       "dprintf use_call,\"HIT use_call\\n\"\n"
	       "break after_updates\n"
	       "commands\n"
	       "  silent\n"
	       "  dprintf use_tail,\"HIT use_tail\\n\"\n"
	       "  continue\n"
	       "end\n"
	       "run inferior\n", out, sizeof out) < 0)
    return 5;
  if (gdb_count (out, "HIT use_call") != 3
      || gdb_count (out, "HIT use_tail") != 1
      || !strstr (out, "results 1 2 3 3")
      || !strstr (out, "exited normally") || strstr (out, "Cannot")
      || strstr (out, "SIGTRAP") || strstr (out, "staticcall:"))
    return 7;
  printf ("gdb: 3 hits before and after updates, 1 set after, results unchanged\n");
  return 0;
}
