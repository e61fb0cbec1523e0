/* A key's sites in several shared objects reach a far target through one
   veneer: objects whose sites are within reach of another object's veneer
   area use it (runtime/veneer.c), so retargeting a far key opens one
   window, however many objects hold its sites.  The area outlives the
   object that mapped it (a dlopen'ed library, first in the key's chain,
   dlclose'd while the others still call through it).  */
/* { dg-options "-rdynamic" } */
/* { dg-staticcall-shared "veneer-share-a.c" vsa } */
/* { dg-staticcall-shared "veneer-share-b.c" vsb } */
/* { dg-staticcall-shared "veneer-share-c.c" vsc dlopen } */

#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <staticcall.h>
#include <staticcall/platform.h>
#include "../lib/sctest.h"
#include "../lib/sctest-far.h"

typedef int fn_t (int);

int hook (int) __attribute__ ((static_call));
int hook (int x) { return x + 1; }

int a_call (int), a_tail (int), b_call (int), b_tail (int);

/* The windows the platform was asked to open.  */
static const struct staticcall_platform *host;
static unsigned int wins;

static int
spy_text_open (uintptr_t start, size_t len)
{
  wins++;
  return host->text_open (start, len);
}

static int
all (fn_t *c_call, fn_t *c_tail, int v)
{
  return a_call (1) == v && a_tail (1) == v && b_call (1) == v
	 && b_tail (1) == v && (!c_call || (c_call (1) == v && c_tail (1) == v));
}

/* The windows an update of the key to @to opens (it must succeed).  */
static unsigned int
windows_of_update (fn_t *to)
{
  wins = 0;
  CHECK (staticcall_update (hook, to) == 0);
  printf ("update to %p: %u windows\n", (void *) to, wins);
  return wins;
}

/* libvsc.so loaded, its two functions found.  */
static void *
load_c (fn_t **c_call, fn_t **c_tail)
{
  void *h = dlopen ("libvsc.so", RTLD_NOW);

  CHECK (h);
  *c_call = (fn_t *) dlsym (h, "c_call");
  *c_tail = (fn_t *) dlsym (h, "c_tail");
  CHECK (*c_call && *c_tail);
  return h;
}

int
main (void)
{
  static struct staticcall_platform spy;
  /* out of reach of the program and of the libraries */
  uintptr_t near[2] = { (uintptr_t) hook, (uintptr_t) a_call };
  fn_t *f10, *f20, *c_call, *c_tail;
  void *h;

  CHECK (!sctest_far_targets (near, 2, &f10, &f20));

  host = staticcall_get_platform ();
  CHECK (host && host->text_open);
  spy = *host;
  spy.text_open = spy_text_open;
  staticcall_set_platform (&spy);

  /* loaded last, its record is first in the key's chain: its sites take
     a veneer first, and it maps the area the others then use */
  h = load_c (&c_call, &c_tail);
  CHECK (all (c_call, c_tail, 2));

  CHECK (staticcall_update (hook, f10) == 0);
  CHECK (all (c_call, c_tail, 11));

  /* far to far: the one veneer's word, one window for three objects */
  CHECK (windows_of_update (f20) == 1);
  CHECK (all (c_call, c_tail, 21));

  /* the object that mapped the area goes: the others still call
     through it, and it still retargets them */
  CHECK (dlclose (h) == 0);
  CHECK (all (NULL, NULL, 21));
  CHECK (windows_of_update (f10) == 1);
  CHECK (all (NULL, NULL, 11));

  /* loaded again while the key is far: it joins the area again */
  h = load_c (&c_call, &c_tail);
  CHECK (all (c_call, c_tail, 11));
  CHECK (windows_of_update (f20) == 1);
  CHECK (all (c_call, c_tail, 21));

  staticcall_set_platform (host);
  CHECK (staticcall_reset (hook) == 0);
  CHECK (all (c_call, c_tail, 2));
  CHECK (dlclose (h) == 0);
  CHECK (all (NULL, NULL, 2));
  return 0;
}
