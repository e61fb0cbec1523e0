/* One concurrency test for every text writer: eight keys with call and
   tail sites in several functions, two threads calling every site of
   every key all along while the main thread retargets them (update,
   batch of several keys, push, pop, reset) 3000 times per writer (at
   most 5 s a writer once 200 are done, at most $STATICCALL_TEST_ROUNDS in
   the system lane: lib/sctest.h): every call reaches one of its key's
   targets, and after each API call returns the main thread's calls
   reach the new one.  Writers: nx, procmem and
   mprotect natively; under qemu-user only the one the board sets
   (STATICCALL_WRITER=mprotect, see writer.exp).  */
/* { dg-options "-O2" } */

#include <sched.h>
#include <stdlib.h>
#include "writer-test.h"

#define ROUNDS 3000

/* key N: default returns 100N + x + 1, targets add 2, 3, 4 */
#define KEY(n)								\
  int k##n (int) __attribute__ ((static_call));				\
  __attribute__ ((noipa)) int k##n (int x) { return 100 * n + x + 1; }	\
  __attribute__ ((noipa)) int k##n##_b (int x) { return 100 * n + x + 2; } \
  __attribute__ ((noipa)) int k##n##_c (int x) { return 100 * n + x + 3; } \
  __attribute__ ((noipa)) int k##n##_d (int x) { return 100 * n + x + 4; } \
  __attribute__ ((noipa)) int c##n##_0 (int x) { return k##n (x) * 1; }	\
  __attribute__ ((noipa)) int c##n##_1 (int x) { return k##n (x + 1) - 1; } \
  __attribute__ ((noipa)) int t##n (int x) { return k##n (x); }

KEY (0) KEY (1) KEY (2) KEY (3) KEY (4) KEY (5) KEY (6) KEY (7)

#define NK 8
static int (*const calls[NK][3]) (int) = {
  { c0_0, c0_1, t0 }, { c1_0, c1_1, t1 }, { c2_0, c2_1, t2 },
  { c3_0, c3_1, t3 }, { c4_0, c4_1, t4 }, { c5_0, c5_1, t5 },
  { c6_0, c6_1, t6 }, { c7_0, c7_1, t7 },
};
#define TARGETS(n) { k##n, k##n##_b, k##n##_c, k##n##_d }
static int (*const targets[NK][4]) (int) = {
  TARGETS (0), TARGETS (1), TARGETS (2), TARGETS (3),
  TARGETS (4), TARGETS (5), TARGETS (6), TARGETS (7),
};

static volatile int stop;
static long bad_calls, rounds_done[2];

static void *
caller_all (void *arg)
{
  long *done = arg;

  while (!stop)
    {
      int k, s;

      for (k = 0; k < NK; k++)
	for (s = 0; s < 3; s++)
	  {
	    int r = calls[k][s] (0) - 100 * k;

	    if (r < 1 || r > 4)
	      __atomic_add_fetch (&bad_calls, 1, __ATOMIC_RELAXED);
	  }
      __atomic_add_fetch (done, 1, __ATOMIC_RELAXED);
    }
  return NULL;
}

/* 0 when every site of key @k reaches target @t (1..4). */
static int
sees (int k, int t)
{
  int s;

  for (s = 0; s < 3; s++)
    if (calls[k][s] (0) - 100 * k != t)
      return 1;
  return 0;
}

static int
run (const char *writer)
{
  static struct staticcall_patch patch;
  pthread_t th[2];
  long fails = 0, wrong = 0;
  int i, k, pushed = -1;
  unsigned int seed = 1;
  long n = sctest_rounds (ROUNDS), done;
  double t0 = sctest_seconds ();

  if (staticcall_host_writer_set (writer))
    return 1;
  stop = 0;
  bad_calls = rounds_done[0] = rounds_done[1] = 0;
  for (i = 0; i < 2; i++)
    if (pthread_create (&th[i], NULL, caller_all, &rounds_done[i]))
      return 2;
  /* both calling before the first update: on one CPU (the system lane
     pins the tests to CPU 0) 100 updates that never block (procmem)
     can end within the main thread's time slice, before either caller
     ran once */
  while (!__atomic_load_n (&rounds_done[0], __ATOMIC_RELAXED)
	 || !__atomic_load_n (&rounds_done[1], __ATOMIC_RELAXED))
    sched_yield ();
  for (i = 0; i < n; i++)
    {
      int t;

      /* a slow or busy machine: 5 s of this writer once 200 are done */
      if (sctest_enough (i, 200, t0 + 5.0))
	break;

      seed = seed * 1103515245 + 12345;
      k = (int) (seed >> 16) % NK;
      t = (int) (seed >> 8) % 4;
      switch (i % 4)
	{
	case 0:
	  if (pushed == k)
	    break;
	  fails += staticcall_update_key ((void *) (uintptr_t) targets[k][0],
					  (void *) (uintptr_t) targets[k][t], 0) != 0;
	  wrong += sees (k, t + 1);
	  break;
	case 1:
	  {
	    /* a batch of this key and the next */
	    int k2 = (k + 1) % NK;
	    struct staticcall_retarget v[2] = {
	      { (void *) (uintptr_t) targets[k][0], (void *) (uintptr_t) targets[k][t], 0 },
	      { (void *) (uintptr_t) targets[k2][0], (void *) (uintptr_t) targets[k2][3 - t], 0 },
	    };

	    if (pushed == k || pushed == k2)
	      break;
	    fails += staticcall_update_batch (v, 2) != 0;
	    wrong += sees (k, t + 1) + sees (k2, 4 - t);
	  }
	  break;
	case 2:
	  if (pushed < 0)
	    {
	      fails += staticcall_push_key (&patch, (void *) (uintptr_t) targets[k][0],
					    (void *) (uintptr_t) targets[k][3], 0) != 0;
	      wrong += sees (k, 4);
	      pushed = k;
	    }
	  else
	    {
	      fails += staticcall_pop (&patch) != 0;
	      pushed = -1;
	    }
	  break;
	default:
	  if (pushed == k)
	    break;
	  fails += staticcall_reset_key ((void *) (uintptr_t) targets[k][0], 0) != 0;
	  wrong += sees (k, 1);
	  break;
	}
    }
  done = i;
  if (pushed >= 0)
    fails += staticcall_pop (&patch) != 0;
  stop = 1;
  for (i = 0; i < 2; i++)
    pthread_join (th[i], NULL);
  for (k = 0; k < NK; k++)
    fails += staticcall_reset_key ((void *) (uintptr_t) targets[k][0], 0) != 0;
  printf ("writer %s: %ld API calls, %ld failed, %ld wrong after return, "
	  "%ld wrong thread calls in %ld rounds\n", staticcall_host_writer (),
	  done, fails, wrong, bad_calls, rounds_done[0] + rounds_done[1]);
  return fails || wrong || bad_calls || !rounds_done[0] || !rounds_done[1];
}

int
main (void)
{
  static const char *const writers[] = { "nx", "procmem", "mprotect" };
  const char *board = getenv ("STATICCALL_WRITER");
  unsigned int i;
  int bad = 0;

  if (board && *board)
    return run (board) ? 1 : 0;
  for (i = 0; i < sizeof (writers) / sizeof (writers[0]); i++)
    bad |= run (writers[i]);
  return bad;
}
