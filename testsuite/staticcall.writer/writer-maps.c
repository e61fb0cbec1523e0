/* A thread reading /proc/self/maps all along sees no mapping writable and
   executable at once during 10^4 updates with the default writer, two
   threads calling the sites; before that, to prove the sampler can see
   one, the mprotect writer makes it see some.  Under qemu-user x86-64
   only (see writer.exp); the system lane runs it elsewhere.  */
/* { dg-do run { target x86_64-*-* } } */
/* { dg-staticcall-system "" } */
/* { dg-options "-O2" } */

#include "writer-test.h"

static volatile int stop_sampler;
static long samples, rwx_samples;

static void *
sampler (void *arg)
{
  (void) arg;
  while (!stop_sampler)
    {
      if (maps_rwx () > 0)
	rwx_samples++;
      __atomic_add_fetch (&samples, 1, __ATOMIC_RELAXED);
    }
  return NULL;
}

static int
sample (const char *writer, long n, long *seen, long *taken)
{
  pthread_t th;

  if (staticcall_host_writer_set (writer))
    return -1;
  samples = rwx_samples = 0;
  stop_sampler = 0;
  if (pthread_create (&th, NULL, sampler, NULL))
    return -1;
  while (!__atomic_load_n (&samples, __ATOMIC_RELAXED))
    ;
  if (api_rounds ("maps", n))
    return -1;
  stop_sampler = 1;
  pthread_join (th, NULL);
  *seen = rwx_samples;
  *taken = samples;
  return 0;
}

int
main (void)
{
  long seen = 0, taken, round;

  /* first the RWX window, while the text is still the file's mapping:
     the sampler must be able to see it (on a loaded machine it may run
     only between updates for a while: a few rounds) */
  for (round = 0; round < 20 && !seen; round++)
    {
      if (sample ("mprotect", 2000, &seen, &taken))
	return 1;
      printf ("mprotect: %ld of %ld samples saw an rwx mapping\n", seen, taken);
    }
  if (!seen)
    return 2;
  /* the default writer (nx; procmem on powerpc64, writer-test.h) */
  if (sample (DEFAULT_WRITER, 10000, &seen, &taken))
    return 3;
  printf ("%s: %ld of %ld samples saw an rwx mapping\n", DEFAULT_WRITER,
	  seen, taken);
  if (seen || taken < 10)
    return 4;
  return 0;
}
