/* All or nothing when the writer checks each site as it writes it.  With
   the default writer the pages are not executable while written, so the
   runtime checks and writes a key's usual sites in one pass (the fused
   lane, runtime/write.c) and puts back what it wrote when a later site is
   not what it wrote there.  A key of 48 sites (calls and tail calls):
   with the first, a middle and the last site (address order) holding
   other bytes, the update returns -EINVAL naming that site, and every
   other site still calls the key's current target; repaired, the update
   goes through everywhere.  Under qemu-user (the mprotect writer) the
   same holds through the usual two passes.  */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <staticcall.h>
#include <staticcall/abi.h>

int lk (int) __attribute__ ((static_call));
__attribute__ ((noipa)) int lk (int x) { return x + 1; }
__attribute__ ((noipa)) int lk_b (int x) { return x + 2; }
__attribute__ ((noipa)) int lk_c (int x) { return x + 3; }

#define USE(i)								\
  __attribute__ ((noipa)) int use_call_##i (int x) { return lk (x) * 2; } \
  __attribute__ ((noipa)) int use_tail_##i (int x) { return lk (x); }
#define USE4(i) USE (i##0) USE (i##1) USE (i##2) USE (i##3)
USE4 (0) USE4 (1) USE4 (2) USE4 (3) USE4 (4) USE4 (5)

#define NUSE 24
#define REF(i) use_call_##i, use_tail_##i
#define REF4(i) REF (i##0), REF (i##1), REF (i##2), REF (i##3)
static int (*const uses[2 * NUSE]) (int) = {
  REF4 (0), REF4 (1), REF4 (2), REF4 (3), REF4 (4), REF4 (5)
};

extern struct staticcall_site_rec __start_staticcall_sites[]
  __attribute__ ((weak, visibility ("hidden")));
extern struct staticcall_site_rec __stop_staticcall_sites[]
  __attribute__ ((weak, visibility ("hidden")));

static uintptr_t sites[2 * NUSE];
static unsigned int nsites;
static char logged[512];

static void
catch_log (const char *msg)
{
  strncpy (logged, msg, sizeof (logged) - 1);
}

static int
by_address (const void *a, const void *b)
{
  uintptr_t x = *(const uintptr_t *) a, y = *(const uintptr_t *) b;

  return x < y ? -1 : x > y;
}

/* The use_* function holding the site @a: the nearest entry below it.  */
static int
use_of (uintptr_t a)
{
  int i, best = -1;

  for (i = 0; i < 2 * NUSE; i++)
    if ((uintptr_t) uses[i] <= a
	&& (best < 0 || (uintptr_t) uses[i] > (uintptr_t) uses[best]))
      best = i;
  return best;
}

/* Every use except @skip calls @fn; 0 when so.  */
static int
all_call (int (*fn) (int), int skip)
{
  int i;

  for (i = 0; i < 2 * NUSE; i++)
    {
      int want = fn (10) * (i % 2 ? 1 : 2);

      if (i != skip && uses[i] (10) != want)
	{
	  printf ("use %d: %d, wanted %d\n", i, uses[i] (10), want);
	  return 1;
	}
    }
  return 0;
}

static int
poke (uintptr_t a, const void *b, size_t n)
{
  long ps = sysconf (_SC_PAGESIZE);
  uintptr_t pg = a & ~(uintptr_t) (ps - 1);

  if (mprotect ((void *) pg, 2 * ps, PROT_READ | PROT_WRITE | PROT_EXEC))
    return -1;
  memcpy ((void *) a, b, n);
  __builtin___clear_cache ((char *) a, (char *) a + n);
  return mprotect ((void *) pg, 2 * ps, PROT_READ | PROT_EXEC);
}

int
main (void)
{
  static const unsigned char junk[4] = { 0, 0, 0, 0 };
  int (*const targets[3]) (int) = { lk, lk_b, lk_c };
  const unsigned int which[3] = { 0, 2 * NUSE / 2, 2 * NUSE - 1 };
  struct staticcall_site_rec *r;
  unsigned int t, cur = 0;

  for (r = __start_staticcall_sites; r < __stop_staticcall_sites; r++)
    if (!staticcall_site_is_definition (r)
	&& !strcmp (staticcall_key_name (staticcall_site_key (r)), "lk")
	&& nsites < 2 * NUSE)
      sites[nsites++] = staticcall_site_addr (r);
  if (nsites != 2 * NUSE)
    {
      printf ("%u sites of lk, wanted %d\n", nsites, 2 * NUSE);
      return 1;
    }
  qsort (sites, nsites, sizeof (sites[0]), by_address);
  if (all_call (lk, -1) || staticcall_update (lk, lk_b) || all_call (lk_b, -1))
    return 2;
  cur = 1;
  staticcall_set_log (catch_log);
  for (t = 0; t < 3; t++)
    {
      uintptr_t a = sites[which[t]];
      int u = use_of (a), err;
      unsigned char saved[4];
      char want[32];

      if (u < 0)
	return 3;
      memcpy (saved, (void *) a, 4);
      if (poke (a, junk, 4))
	return 4;
      logged[0] = 0;
      err = staticcall_update (lk, targets[(cur + 1) % 3]);
      snprintf (want, sizeof (want), "%p", (void *) a);
      if (err != -EINVAL || !strstr (logged, want))
	{
	  printf ("site %u of %u: update %d, log '%s'\n", which[t], nsites,
		  err, logged);
	  return 5;
	}
      /* nothing written: every other site calls the current target */
      if (all_call (targets[cur], u) || memcmp ((void *) a, junk, 4)
	  || staticcall_query (lk) != targets[cur])
	{
	  printf ("site %u of %u: a site was left written\n", which[t],
		  nsites);
	  return 6;
	}
      if (poke (a, saved, 4))
	return 7;
      cur = (cur + 1) % 3;
      if (staticcall_update (lk, targets[cur]) || all_call (targets[cur], -1))
	return 8;
    }
  return 0;
}
