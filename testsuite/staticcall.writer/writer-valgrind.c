/* Under valgrind (memcheck, without --smc-check=all), with the default
   writer and with procmem: after each update returns, two threads calling
   the key's call and tail sites see the new target at their next call
   (the runtime tells valgrind which code changed:
   VALGRIND_DISCARD_TRANSLATIONS; valgrind also drops what it translated
   of a page that loses execute permission, as nx's do, but sees nothing of
   a write through /proc/self/mem), every update succeeds, memcheck
   reports no error.  The test runs itself under
   valgrind (found on PATH; its absence is a failure).  x86-64 only.  */
/* { dg-do run { target x86_64-*-* } } */
/* { dg-options "-O2" } */

#include <stdlib.h>
#include <sched.h>
#include <valgrind/valgrind.h>
#include "writer-test.h"

#define UPDATES 60

static volatile int epoch, updating, want = 1, done;
static volatile int checked[2];
static long stuck, checks;

static void *
watcher (void *arg)
{
  int id = (int) (intptr_t) arg;

  while (!done)
    {
      int e1 = epoch, u1 = updating, w = want;
      int rc = use_call (0), rt = use_tail (0);
      int u2 = updating, e2 = epoch;

      if (!u1 && !u2 && e1 == e2)
	{
	  if (rc != w || rt != w)
	    {
	      if (!stuck++)
		printf ("thread %d epoch %d sees %d/%d want %d\n", id, e1, rc,
			rt, w);
	    }
	  __atomic_add_fetch (&checks, 1, __ATOMIC_RELAXED);
	  checked[id] = e1;
	}
      sched_yield ();
    }
  return NULL;
}

static int
rounds (void)
{
  int (*const targets[]) (int) = { wa, wb, wc };
  pthread_t th[2];
  long fails = 0;
  int i;

  done = 0;
  stuck = checks = 0;
  epoch = checked[0] = checked[1] = 0;
  for (i = 0; i < 2; i++)
    if (pthread_create (&th[i], NULL, watcher, (void *) (intptr_t) i))
      return 2;
  for (i = 0; i < UPDATES; i++)
    {
      int (*t) (int) = targets[i % 3];

      updating = 1;
      fails += staticcall_update (wk, t) != 0;
      want = t (0);
      epoch = i + 1;
      updating = 0;
      /* both threads call at least once with this target in place */
      while (checked[0] != i + 1 || checked[1] != i + 1)
	sched_yield ();
    }
  done = 1;
  for (i = 0; i < 2; i++)
    pthread_join (th[i], NULL);
  printf ("valgrind: writer %s, %d updates, %ld failed, %ld checks, %ld stuck\n",
	  staticcall_host_writer (), UPDATES, fails, checks, stuck);
  return fails || stuck ? 3 : 0;
}

static int
child (void)
{
  int err = rounds ();

  if (err)
    return err;
  if (staticcall_host_writer_set ("procmem"))
    return 6;
  return rounds ();
}

int
main (int argc, char **argv)
{
  char *args[] = { "valgrind", "-q", "--error-exitcode=9", argv[0], "child",
		   NULL };

  if (RUNNING_ON_VALGRIND)
    return child ();
  if (argc > 1)
    return 4;			/* "child" outside valgrind */
  fflush (stdout);
  execvp ("valgrind", args);
  printf ("cannot run valgrind (errno %d): install it\n", errno);
  return 5;
}

/* Two pages of code after the sites: the runtime's own code (linked after
   this unit) never shares their page, so the default writer writes them
   itself rather than through /proc/self/mem.  */
__attribute__ ((used, noipa)) void
pad_after_sites (void)
{
  __asm__ volatile (".skip 8192, 0x90");
}
