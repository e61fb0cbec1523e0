/* fork while another thread updates, 300 times (under an emulator: for
   20 s, at least 10 times; it prints how many): no child starts with
   writable and executable text or with the updater lock held (each child
   updates its own sites within seconds), each child's update changes only
   its own text (parent and child retarget the key differently and each
   keeps seeing its own), and the parent is never disturbed.  With the
   alias writer the text is a MAP_SHARED memfd both processes map after
   fork: each must copy it before writing.  Under qemu-user (the mprotect
   writer, see writer.exp) it checks the fork handling alone.  */
/* { dg-options "-O2" } */

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include "writer-test.h"
#include "../lib/sctest.h"

#define FORKS 300
#define EMULATED_MIN_FORKS 10
#define EMULATED_SECONDS 20.0

/* calls each side makes while the child holds its own target */
static int calls = 100000;

static volatile int stop_updater;
static long updates, update_fails;

/* the parent's key is always wa (2) or wb (3) */
static void *
updater (void *arg)
{
  long i = 0;

  (void) arg;
  while (!stop_updater)
    {
      if (staticcall_update (wk, (i++ & 1) ? wa : wb))
	update_fails++;
      __atomic_add_fetch (&updates, 1, __ATOMIC_RELAXED);
    }
  return NULL;
}

static void __attribute__ ((noreturn))
child (int tell)
{
  int i, r;

  alarm (30);			/* a child that hangs dies of SIGALRM */
  if (maps_rwx () != 0)
    _exit (10);
  r = use_call (0);
  if (r != 2 && r != 3)
    _exit (11);
  if (staticcall_update (wk, wc))
    _exit (12);
  if (use_call (0) != 4 || use_tail (0) != 4 || staticcall_query (wk) != wc)
    _exit (13);
  if (write (tell, "u", 1) != 1)
    _exit (14);
  /* the parent keeps retargeting its own key meanwhile */
  for (i = 0; i < calls; i++)
    if (use_call (0) != 4)
      _exit (15);
  if (staticcall_reset (wk) || use_call (0) != 1 || use_tail (0) != 1)
    _exit (16);
  if (maps_rwx () != 0)
    _exit (17);
  _exit (0);
}

int
main (void)
{
  long codes[32] = { 0 }, hung = 0, parent_wrong = 0;
  long forks = sctest_rounds (FORKS);
  pthread_t th;
  long n;
  int fd[2];

  if (sctest_emulated ())
    calls = 5000;
  sctest_seconds ();
  if (pipe (fd) || pthread_create (&th, NULL, updater, NULL))
    return 1;
  while (!__atomic_load_n (&updates, __ATOMIC_RELAXED))
    ;
  for (n = 0; n < forks; n++)
    {
      /* emulated: as many forks as fit in the budget, at least a few */
      if (sctest_emulated () && !sctest_soak () && n >= EMULATED_MIN_FORKS
	  && sctest_seconds () > EMULATED_SECONDS)
	forks = n;
      if (n == forks)
	break;
      pid_t pid = fork ();
      int status, i;
      char c;

      if (pid < 0)
	return 2;
      if (pid == 0)
	child (fd[1]);
      /* while the child holds wc, the parent never sees it */
      if (read (fd[0], &c, 1) == 1)
	for (i = 0; i < calls; i++)
	  {
	    int r = use_call (0);

	    if (r != 2 && r != 3)
	      parent_wrong++;
	  }
      if (waitpid (pid, &status, 0) != pid)
	return 3;
      if (WIFSIGNALED (status))
	hung++;
      else
	codes[WEXITSTATUS (status) & 31]++;
    }
  stop_updater = 1;
  pthread_join (th, NULL);
  printf ("%ld forks (%d calls a side%s) during %ld updates (%ld failed): "
	  "%ld children fine, %ld killed (hung), %ld with rwx text, "
	  "%ld failed to update, %ld saw another target, parent saw %ld wrong "
	  "calls; writer %s\n", forks, calls,
	  sctest_emulated () ? ", emulated" : "", updates, update_fails,
	  codes[0], hung,
	  codes[10] + codes[17], codes[12], codes[11] + codes[13] + codes[15]
	  + codes[16], parent_wrong, staticcall_host_writer ());
  return codes[0] == forks && !parent_wrong && !update_fails ? 0 : 4;
}
