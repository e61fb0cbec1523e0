/* The platform contract's text_close error (staticcall/platform.h): a
   platform whose stores reach the text only at the close of the last
   window (here: a shadow copy of each window, copied in then, as a kernel
   copy would be) and may refuse there.  The core must then return that
   error from the update, keep the key's target, leave every site as it
   was (the veneer word too), and the next update must find the sites
   consistent and work; a refused batch commits none of its keys.  The
   freestanding core alone, on every target.  */
/* { dg-do run } */
/* { dg-staticcall-core "" } */

#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <staticcall.h>
#include <staticcall/abi.h>
#include <staticcall/platform.h>
#include "../lib/sctest.h"

STATICCALL_REGISTERS_ITSELF;

extern struct staticcall_site_rec __start_staticcall_sites[] __attribute__ ((visibility ("hidden")));
extern struct staticcall_site_rec __stop_staticcall_sites[] __attribute__ ((visibility ("hidden")));
extern struct staticcall_site_rec __start_staticcall_index[] __attribute__ ((visibility ("hidden")));
extern struct staticcall_site_rec __stop_staticcall_index[] __attribute__ ((visibility ("hidden")));

int hook (int) __attribute__ ((static_call));
__attribute__ ((noipa)) int hook (int x) { return x + 1; }
__attribute__ ((noipa)) int hook_b (int x) { return x + 2; }
__attribute__ ((noipa)) int hook_c (int x) { return x + 3; }
int other (int) __attribute__ ((static_call));
__attribute__ ((noipa)) int other (int x) { return x + 10; }
__attribute__ ((noipa)) int other_b (int x) { return x + 20; }

__attribute__ ((noipa)) int call_a (int x) { return hook (x) + 0; }
__attribute__ ((noipa)) int call_b (int x) { return hook (x + 1) - 1; }
__attribute__ ((noipa)) int call_o (int x) { return other (x) * 1; }

/* ---- the platform: windows written through shadows, copied at the end */

#define WINS 16
static struct
{
  uintptr_t lo, hi;
  unsigned char *shadow;
} win[WINS];
static unsigned int nwin, open_now, opens, closes, refuse;

static int
text_open (uintptr_t start, size_t len)
{
  void *p;

  if (nwin == WINS)
    return -ENOMEM;
  p = mmap (NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return -errno;
  memcpy (p, (const void *) start, len);
  win[nwin].lo = start;
  win[nwin].hi = start + len;
  win[nwin].shadow = p;
  nwin++;
  open_now++;
  opens++;
  return 0;
}

static void *
text_alias (uintptr_t addr)
{
  unsigned int i;

  /* the newest window holding @addr: windows over the same page (two
     keys' sites there) are all opened before the first store and copied
     in opening order, so the newest holds every store and goes last */
  for (i = nwin; i-- > 0;)
    if (addr >= win[i].lo && addr < win[i].hi)
      return win[i].shadow + (addr - win[i].lo);
  return (void *) addr;
}

/* Copy every shadow in, oldest first, unless refused: the windows open
   together are one write (nothing of it reaches the text when refused).  */
static int
text_close (uintptr_t start, size_t len)
{
  unsigned int i;
  int err = 0;

  (void) start;
  (void) len;
  closes++;
  if (--open_now)
    return 0;
  for (i = 0; i < nwin && !refuse; i++)
    {
      size_t n = win[i].hi - win[i].lo;

      if (mprotect ((void *) win[i].lo, n, PROT_READ | PROT_WRITE | PROT_EXEC))
	return -errno;
      memcpy ((void *) win[i].lo, win[i].shadow, n);
      mprotect ((void *) win[i].lo, n, PROT_READ | PROT_EXEC);
      __builtin___clear_cache ((char *) win[i].lo, (char *) win[i].hi);
    }
  if (refuse)
    err = -EIO;
  for (i = 0; i < nwin; i++)
    munmap (win[i].shadow, win[i].hi - win[i].lo);
  nwin = 0;
  return err;
}

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* Veneer pages near the text (powerpc64 without the object's TOC calls
   through them: freestanding-object.c).  */
static int
veneer_map (uintptr_t lo, uintptr_t hi, uintptr_t reach, size_t size, uintptr_t *addr)
{
  uintptr_t ps = (uintptr_t) sysconf (_SC_PAGESIZE), d;

  (void) lo;
  size = (size + ps - 1) & ~(ps - 1);
  for (d = 1UL << 20; d + size < reach / 2; d <<= 1)
    {
      uintptr_t a = (hi + d + ps - 1) & ~(ps - 1);
      void *p = mmap ((void *) a, size, PROT_READ | PROT_EXEC,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

      if (p == MAP_FAILED)
	continue;
      if ((uintptr_t) p != a)
	{
	  munmap (p, size);
	  continue;
	}
      *addr = a;
      return 0;
    }
  return -ERANGE;
}

static void
veneer_unmap (uintptr_t addr, size_t size)
{
  munmap ((void *) addr, size);
}

static struct staticcall_platform platform = {
  .text_open = text_open,
  .text_close = text_close,
  .text_alias = text_alias,
  .veneer_map = veneer_map,
  .veneer_unmap = veneer_unmap,
};

static int logged;
static void log_hook (const char *msg) { (void) msg; logged++; }

static struct staticcall_object obj;

/* The bytes of every site of the program.  */
static unsigned char before[64][8];

static unsigned int
sites_save (int compare)
{
  struct staticcall_site_rec *r;
  unsigned int n = 0, differ = 0;

  for (r = __start_staticcall_sites; r < __stop_staticcall_sites && n < 64; r++, n++)
    {
      const void *a = (const void *) staticcall_site_addr (r);

      if (compare)
	differ += memcmp (before[n], a, 8) != 0;
      else
	memcpy (before[n], a, 8);
    }
  return differ;
}

int
main (void)
{
  struct staticcall_tables t = { __start_staticcall_sites, __stop_staticcall_sites,
				 __start_staticcall_index, __stop_staticcall_index,
				 NULL, 0, 0, 0 };
  struct staticcall_retarget both[2] = {
    STATICCALL_RETARGET (hook, hook_c),
    STATICCALL_RETARGET (other, other_b),
  };

  platform.page_size = (size_t) sysconf (_SC_PAGESIZE);
  staticcall_set_log (log_hook);
  staticcall_set_platform (&platform);
  CHECK (staticcall_object_add_tables (&obj, &t) == 0);
  CHECK (staticcall_update (hook, hook_b) == 0);
  CHECK (call_a (1) == 3 && call_b (1) == 3 && opens > 0 && closes == opens);

  /* refused at the close: the error, the old target, the old bytes */
  sites_save (0);
  refuse = 1;
  opens = closes = 0;
  logged = 0;
  CHECK (staticcall_update (hook, hook_c) == -EIO);
  CHECK (opens > 0 && closes == opens && open_now == 0);
  CHECK (staticcall_query (hook) == hook_b);
  CHECK (sites_save (1) == 0);
  CHECK (call_a (1) == 3 && call_b (1) == 3 && logged > 0);

  /* a batch: neither key committed, no byte changed */
  CHECK (staticcall_update_batch (both, 2) == -EIO);
  CHECK (staticcall_query (hook) == hook_b && staticcall_query (other) == other);
  CHECK (sites_save (1) == 0);
  CHECK (call_a (1) == 3 && call_o (1) == 11);

  /* the sites are consistent: the next updates work */
  refuse = 0;
  CHECK (staticcall_update (hook, hook_c) == 0);
  CHECK (call_a (1) == 4 && call_b (1) == 4);
  CHECK (staticcall_update_batch (both, 2) == 0);
  CHECK (call_a (1) == 4 && call_o (1) == 21);
  CHECK (staticcall_reset (hook) == 0 && staticcall_reset (other) == 0);
  CHECK (call_a (1) == 2 && call_b (1) == 2 && call_o (1) == 11);
  printf ("refused closes: -EIO, targets and bytes kept; updates after work\n");
  return 0;
}
