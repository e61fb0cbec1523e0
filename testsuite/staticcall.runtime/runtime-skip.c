/* The write plan leaves alone what does not change (doc/notes.texi, "The
   write plan"): the platform's text_open, wrapped, records every window.
   A far target replaced by another far target changes the veneer's word
   and no site (both branch to the veneer): no window over a site's page,
   the sites' bytes as they were.  A batch retargeting a key to its
   current target, or an update to it, opens no window at all.  A batch
   of two keys whose sites lie in different pages, one changing, opens
   windows over that key's pages only.  Any writer (qemu-user: the
   board's).  */
/* { dg-do run } */
/* { dg-options "-O2" } */

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <staticcall.h>
#include <staticcall/abi.h>
#include <staticcall/platform.h>
#include "../lib/sctest.h"
#include "../lib/sctest-far.h"

typedef int fn_t (int);

int near_key (int x) __attribute__ ((static_call));
__attribute__ ((noipa)) int near_key (int x) { return x + 1; }
__attribute__ ((noipa)) int near_alt (int x) { return x + 2; }
int other_key (int x) __attribute__ ((static_call));
__attribute__ ((noipa)) int other_key (int x) { return x + 5; }
__attribute__ ((noipa)) int other_alt (int x) { return x + 6; }

/* each caller at the start of its own page (64 KiB: the largest page
   size of the targets' kernels), so the keys' sites share no page */
#define OWN_PAGE __attribute__ ((noipa, aligned (65536)))
OWN_PAGE int call_it (int x) { return near_key (x) * 1 + 0 * x; }
OWN_PAGE int tail_it (int x) { return near_key (x); }
OWN_PAGE int other_call (int x) { return other_key (x) * 1 + 0 * x; }

extern struct staticcall_site_rec __start_staticcall_sites[]
  __attribute__ ((weak, visibility ("hidden")));
extern struct staticcall_site_rec __stop_staticcall_sites[]
  __attribute__ ((weak, visibility ("hidden")));

/* The windows the platform was asked to open since the last reset.  */
static const struct staticcall_platform *host;
static uintptr_t win_lo[64], win_hi[64];
static unsigned int wins;

static int
spy_text_open (uintptr_t start, size_t len)
{
  if (wins < 64)
    {
      win_lo[wins] = start;
      win_hi[wins] = start + len;
    }
  wins++;
  return host->text_open (start, len);
}

/* The sites of @key (calls and tail calls, not its definition record).  */
static unsigned int
sites_of (fn_t *key, uintptr_t *v, unsigned int max)
{
  struct staticcall_site_rec *r;
  unsigned int n = 0;

  for (r = __start_staticcall_sites; r < __stop_staticcall_sites; r++)
    if (staticcall_site_key (r)->ident == (uintptr_t) key
	&& !staticcall_site_is_definition (r) && n < max)
      v[n++] = staticcall_site_addr (r);
  return n;
}

/* How many of the @n sites at @v lie in a window opened since the reset.  */
static unsigned int
opened_over (const uintptr_t *v, unsigned int n)
{
  unsigned int i, j, hit = 0;

  for (i = 0; i < n; i++)
    for (j = 0; j < wins && j < 64; j++)
      if (v[i] >= win_lo[j] && v[i] < win_hi[j])
	{
	  hit++;
	  break;
	}
  return hit;
}

int
main (void)
{
  static struct staticcall_platform spy;
  uintptr_t text = (uintptr_t) near_key;
  unsigned char before[8][8];
  uintptr_t near_sites[8], other_sites[8];
  unsigned int nn, no, i;
  fn_t *f10, *f20;

  CHECK (!sctest_far_targets (&text, 1, &f10, &f20));
  nn = sites_of (near_key, near_sites, 8);
  no = sites_of (other_key, other_sites, 8);
  CHECK (nn >= 2 && no >= 1);

  host = staticcall_get_platform ();
  CHECK (host && host->text_open);
  spy = *host;
  spy.text_open = spy_text_open;
  staticcall_set_platform (&spy);

  /* the first far target: the sites go to the veneer (windows over them) */
  CHECK (staticcall_update (near_key, f10) == 0);
  CHECK (call_it (1) == 11 && tail_it (1) == 11);
  CHECK (opened_over (near_sites, nn) == nn);
  for (i = 0; i < nn; i++)
    memcpy (before[i], (const void *) near_sites[i], 8);

  /* another far target: the veneer's word changes, no site does */
  wins = 0;
  CHECK (staticcall_update (near_key, f20) == 0);
  CHECK (call_it (1) == 21 && tail_it (1) == 21);
  printf ("far to far: %u windows, %u over the key's %u sites\n", wins,
	  opened_over (near_sites, nn), nn);
  CHECK (wins >= 1 && opened_over (near_sites, nn) == 0);
  for (i = 0; i < nn; i++)
    CHECK (!memcmp (before[i], (const void *) near_sites[i], 8));

  /* the current target again: nothing opened, by a batch or an update */
  {
    struct staticcall_retarget same[2] = {
      STATICCALL_RETARGET (near_key, f20),
      STATICCALL_RETARGET (other_key, other_key),
    };

    wins = 0;
    CHECK (staticcall_update_batch (same, 2) == 0);
    CHECK (staticcall_update (near_key, f20) == 0);
    CHECK (staticcall_update (other_key, other_key) == 0);
    printf ("current targets: %u windows\n", wins);
    CHECK (wins == 0);
    CHECK (call_it (1) == 21 && other_call (1) == 6);
  }

  /* one key of a batch changes: only its sites' pages are opened */
  {
    struct staticcall_retarget one[2] = {
      STATICCALL_RETARGET (near_key, near_alt),
      STATICCALL_RETARGET (other_key, other_key),
    };

    wins = 0;
    CHECK (staticcall_update_batch (one, 2) == 0);
    printf ("one key of two: %u windows, over %u of %u changed sites, %u of %u others\n",
	    wins, opened_over (near_sites, nn), nn,
	    opened_over (other_sites, no), no);
    CHECK (opened_over (near_sites, nn) == nn
	   && opened_over (other_sites, no) == 0);
    CHECK (call_it (1) == 3 && tail_it (1) == 3 && other_call (1) == 6);
  }

  /* and the other way round */
  {
    struct staticcall_retarget one[2] = {
      STATICCALL_RETARGET (near_key, near_alt),
      STATICCALL_RETARGET (other_key, other_alt),
    };

    wins = 0;
    CHECK (staticcall_update_batch (one, 2) == 0);
    CHECK (opened_over (near_sites, nn) == 0
	   && opened_over (other_sites, no) == no);
    CHECK (call_it (1) == 3 && other_call (1) == 7);
  }
  staticcall_set_platform (host);
  CHECK (staticcall_reset (near_key) == 0 && staticcall_reset (other_key) == 0);
  CHECK (call_it (1) == 2 && tail_it (1) == 2 && other_call (1) == 6);
  return 0;
}
