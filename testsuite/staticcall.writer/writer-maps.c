/* A thread reading /proc/self/maps all along sees no mapping writable and
   executable at once during 10^4 updates with the default writer, two
   threads calling the sites; before that, to prove the sampler can see
   one, the mprotect writer makes it see some.  Under qemu-user x86-64
   only (see writer.exp); the system lane runs it elsewhere.  */
/* { dg-do run { target x86_64-*-* } } */
/* { dg-staticcall-system "" } */
/* { dg-options "-O2" } */

#include "writer-test.h"
#include <staticcall/platform.h>

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

/* The fallback control: the platform's text_open, wrapped, reads the
   maps inside every window it opens.  */
static const struct staticcall_platform *host;
static long open_reads, open_seen;

static int
spy_text_open (uintptr_t start, size_t len)
{
  int r = host->text_open (start, len);

  if (!r)
    {
      open_reads++;
      open_seen += maps_rwx () > 0;
    }
  return r;
}

static int
inside_windows (void)
{
  static struct staticcall_platform spy;

  /* the writer first: staticcall_host_writer_set sets the host platform */
  if (staticcall_host_writer_set ("mprotect"))
    return -1;
  host = staticcall_get_platform ();
  spy = *host;
  spy.text_open = spy_text_open;
  staticcall_set_platform (&spy);
  if (api_rounds ("maps", 20))
    return -1;
  staticcall_set_platform (host);
  printf ("mprotect: %ld of %ld reads inside its windows saw an rwx mapping\n",
	  open_seen, open_reads);
  return open_reads > 0 && open_seen == open_reads ? 0 : -1;
}

int
main (void)
{
  long seen = 0, taken, round;

  /* first the RWX window, while the text is still the file's mapping:
     the sampler must be able to see it (on a loaded machine it may run
     only between updates for a while: a few rounds).  On one CPU (the
     system lane pins the tests to CPU 0) the sampler and the updater can
     fall into step, the sampler never running inside a window, for a
     whole boot (1 lane run in 6): then the maps are read inside the
     mprotect writer's windows instead, which must see every one.  */
  for (round = 0; round < 20 && !seen; round++)
    {
      if (sample ("mprotect", 2000, &seen, &taken))
	return 1;
      printf ("mprotect: %ld of %ld samples saw an rwx mapping\n", seen, taken);
    }
  if (!seen && inside_windows ())
    return 2;
  if (sample ("alias", 10000, &seen, &taken))
    return 3;
  printf ("alias: %ld of %ld samples saw an rwx mapping\n", seen, taken);
  if (seen || taken < 10)
    return 4;
  return 0;
}
