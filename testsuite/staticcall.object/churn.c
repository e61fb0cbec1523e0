/* Another thread calls the program's sites of a key all along while libraries with sites of the same key are
   dlopen'ed, updated and dlclose'd again and again: registration and removal never disturb a running site.  */
/* { dg-options "-rdynamic" } */
/* { dg-staticcall-shared "churn-lib.c" churn dlopen } */

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <staticcall.h>

int hook (int) __attribute__ ((static_call));
int hook (int x) { return x + 1; }
int hook_a (int x) { return x + 100; }
int hook_b (int x) { return x + 1000; }

__attribute__ ((noinline)) int m_call (int x) { return hook (x); }
__attribute__ ((noinline)) int m_tail (int x) { return hook (x + 1); }

static int stop;
static long bad, calls;

static void *
caller (void *arg)
{
  (void) arg;
  while (!__atomic_load_n (&stop, __ATOMIC_RELAXED))
    {
      int r = m_call (1), t = m_tail (0);

      if ((r != 2 && r != 101 && r != 1001) || (t != 2 && t != 101 && t != 1001))
	__atomic_add_fetch (&bad, 1, __ATOMIC_RELAXED);
      __atomic_add_fetch (&calls, 1, __ATOMIC_RELAXED);
    }
  return NULL;
}

int
main (void)
{
  pthread_t th;
  int round;

  if (pthread_create (&th, NULL, caller, NULL))
    return 1;
  while (!__atomic_load_n (&calls, __ATOMIC_RELAXED))
    ;
  for (round = 0; round < 60; round++)
    {
      void *h = dlopen ("libchurn.so", RTLD_NOW);
      int (*churn_call) (int);
      int (*want) (int) = (round & 1) ? hook_a : hook_b;

      if (!h || !(churn_call = (int (*) (int)) dlsym (h, "churn_call")))
	{
	  printf ("round %d: %s\n", round, dlerror ());
	  return 2;
	}
      if (churn_call (1) != m_call (1))
	return 3;
      if (staticcall_update (hook, want) != 0 || churn_call (1) != want (1)
	  || m_call (1) != want (1))
	return 4;
      if (dlclose (h))
	return 5;
      if (round % 3 == 0 && (staticcall_reset (hook) != 0 || m_call (1) != 2))
	return 6;
    }
  __atomic_store_n (&stop, 1, __ATOMIC_RELAXED);
  pthread_join (th, NULL);
  if (bad || !calls)
    {
      printf ("%ld bad results in %ld calls\n", bad, calls);
      return 7;
    }
  return 0;
}
