/* dlclose of a library holding a key's current target (or a pushed patch, or the base under a patch): the
   keys fall back (logged) before it is unmapped, so sites of the program and other libraries never jump there.  */
/* { dg-options "-rdynamic" } */
/* { dg-staticcall-shared "dlclose-target-user.c" dctu } */
/* { dg-staticcall-shared "dlclose-target-plug.c" dctp dlopen } */
/* { dg-staticcall-shared "dlclose-target-own.c" dcto dlopen } */

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <staticcall.h>

typedef int fn_t (int);

int hook (int) __attribute__ ((static_call));
int hook (int x) { return x + 1; }
int hook2 (int) __attribute__ ((static_call));
int hook2 (int x) { return x + 2; }
int hook2_base (int x) { return x + 20; }
int hook3 (int) __attribute__ ((static_call));
int hook3 (int x) { return x + 3; }
int hook3_patch (int x) { return x + 30; }
int fp_default (int x) { return x + 4; }
fn_t *fp __attribute__ ((static_call)) = fp_default;

int user_hook (int), user_hook2 (int), user_hook3 (int);

__attribute__ ((noinline)) int m_hook (int x) { return hook (x); }
__attribute__ ((noinline)) int m_hook2 (int x) { return hook2 (x); }
__attribute__ ((noinline)) int m_hook3 (int x) { return hook3 (x); }
__attribute__ ((noinline)) int m_fp (int x) { return fp (x); }

static int logged;
static void
log_hook (const char *msg)
{
  if (strstr (msg, "unloaded"))
    logged++;
}

static int
calls (int h, int h2, int h3, int f)
{
  return m_hook (0) == h && user_hook (0) == h && m_hook2 (0) == h2
	 && user_hook2 (0) == h2 && m_hook3 (0) == h3 && user_hook3 (0) == h3
	 && m_fp (0) == f;
}

int
main (void)
{
  static struct staticcall_patch p3;
  void *h = dlopen ("libdctp.so", RTLD_NOW);
  fn_t *t, *t2, *t3, *tf;
  int (*plug_push) (void);

  staticcall_set_log (log_hook);
  if (!h)
    {
      printf ("dlopen: %s\n", dlerror ());
      return 1;
    }
  t = (fn_t *) dlsym (h, "plug_target");
  t2 = (fn_t *) dlsym (h, "plug_target2");
  t3 = (fn_t *) dlsym (h, "plug_target3");
  tf = (fn_t *) dlsym (h, "plug_target_fp");
  plug_push = (int (*) (void)) dlsym (h, "plug_push");
  if (!t || !t2 || !t3 || !tf || !plug_push)
    return 2;
  /* hook: current target in the plugin; hook2: a patch stored in the plugin
     over a base in the program; hook3: a patch of the program over a base in
     the plugin; fp: a pointer key targeting the plugin */
  if (staticcall_update (hook, t) || staticcall_update (hook2, hook2_base)
      || plug_push () || staticcall_update (hook3, t3)
      || staticcall_push (&p3, hook3, hook3_patch)
      || staticcall_update (fp, tf))
    return 3;
  if (!calls (500, 600, 30, 800))
    return 4;
  if (dlclose (h))
    return 5;
  /* every site was moved before the plugin went away */
  if (!calls (1, 20, 30, 4))
    return 6;
  if (staticcall_query (hook) != hook || staticcall_query (hook2) != hook2_base
      || staticcall_query (hook3) != hook3_patch || fp != fp_default)
    return 7;
  /* hook3's base fell back to its default: popping the patch goes there */
  if (staticcall_pop (&p3) || m_hook3 (0) != 3 || user_hook3 (0) != 3)
    return 8;
  if (logged != 3)
    {
      printf ("%d fallbacks logged, 3 expected\n", logged);
      return 9;
    }
  /* the keys work as before */
  if (staticcall_update (hook, hook2_base) || !calls (20, 20, 3, 4))
    return 10;
  /* a library's patch of its own key, stored in it, leaves the patch stack
     with it (walking the stack afterwards must not touch unmapped memory) */
  h = dlopen ("libdcto.so", RTLD_NOW);
  int (*own_push) (void) = h ? (int (*) (void)) dlsym (h, "own_push") : NULL;
  int (*own_call) (int) = h ? (int (*) (int)) dlsym (h, "own_call") : NULL;
  void (*own_set_log) (void) = h ? (void (*) (void)) dlsym (h, "own_set_log") : NULL;
  if (!own_push || !own_call || !own_set_log || own_call (0) != 1 || own_push ()
      || own_call (0) != 2)
    return 11;
  /* ... and so does a log hook it set */
  own_set_log ();
  if (dlclose (h))
    return 12;
  if (staticcall_push (&p3, hook3, hook3_patch) || m_hook3 (0) != 30
      || staticcall_pop (&p3) || m_hook3 (0) != 3)
    return 13;
  if (staticcall_update_key ((const void *) hook, NULL, 0) != -EINVAL)	/* logs */
    return 14;
  return 0;
}
