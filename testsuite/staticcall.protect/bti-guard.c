/*
 * bti-guard.c - the hosted runtime refuses a veneer to a target without a
 * landing pad in BTI guarded text, as the bare-metal kernel does (arm64
 * only; bti.exp).  argv[1]: bti-lib.c built BTI-marked, argv[2]: the same
 * built unmarked (default: libbtiguarded.so and libbtiplain.so, from
 * LD_LIBRARY_PATH: staticcall.object/bti-system.c).  Both are dlopen'ed beyond a 1 GiB reservation, out of
 * the reach of a BL (128 MiB): every retarget goes through a veneer, whose
 * BR x16 must land on "bti c" or "paciasp" in a guarded page.
 *   1. far_bti and far_pac (guarded, with pads): updated, called (a call
 *      site and a tail site), right results;
 *   2. far_nopad (guarded, no pad): -EPERM, the old target stays;
 *   3. far_nopad of the unmarked copy (not guarded): updated, called;
 *   4. negative control, in a child: the platform's text_guarded hook
 *      removed, the update to guarded far_nopad is made and the first
 *      call takes SIGILL at far_nopad (the Branch Target exception).
 * Exit 77 when the CPU (or qemu) has no BTI.
 */
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <staticcall.h>
#include <staticcall/platform.h>

#ifndef HWCAP2_BTI
#define HWCAP2_BTI (1UL << 17)
#endif

long work (long) __attribute__ ((static_call));
long work (long x) { return x + 1; }

/* a call site, and (at -O2) a tail site */
__attribute__ ((noinline)) long call_work (long x) { return work (x) * 3; }
__attribute__ ((noinline)) long tail_work (long x) { return work (x); }

static int failures;

static void
check (int ok, const char *what)
{
  printf ("%s: %s\n", ok ? "ok" : "FAILED", what);
  if (!ok)
    failures++;
}

typedef long fn (long);

static fn *
get (void *lib, const char *name)
{
  fn *f = (fn *) dlsym (lib, name);

  if (!f)
    {
      printf ("FAILED: dlsym %s: %s\n", name, dlerror ());
      exit (1);
    }
  return f;
}

static uintptr_t fault_expected;

/* The child's verdict: 86 for SIGILL at the target without a pad.  */
static void
on_sigill (int sig, siginfo_t *si, void *ctx)
{
  char msg[64];
  int n = snprintf (msg, sizeof msg, "child: SIGILL at %p\n", si->si_addr);

  (void) sig;
  (void) ctx;
  if (write (1, msg, n) != n)
    _exit (88);
  _exit ((uintptr_t) si->si_addr == fault_expected ? 86 : 87);
}

int
main (int argc, char **argv)
{
  void *guarded, *plain;
  fn *far_bti, *far_pac, *far_nopad, *plain_nopad;
  uintptr_t site = (uintptr_t) call_work, d;
  int rc, status;
  pid_t pid;

  /* no arguments: the two copies as staticcall.object/bti-system.c
     builds them, found through LD_LIBRARY_PATH */
  const char *gpath = argc == 3 ? argv[1] : "libbtiguarded.so";
  const char *ppath = argc == 3 ? argv[2] : "libbtiplain.so";

  if (!(getauxval (AT_HWCAP2) & HWCAP2_BTI))
    {
      printf ("no BTI: HWCAP2_BTI is clear\n");
      return 77;
    }
  /* out of a BL's reach of the program's sites, wherever mmap grows */
  if (mmap (NULL, 1UL << 30, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS
	    | MAP_NORESERVE, -1, 0) == MAP_FAILED)
    return 2;
  guarded = dlopen (gpath, RTLD_NOW);
  plain = dlopen (ppath, RTLD_NOW);
  if (!guarded || !plain)
    {
      printf ("FAILED: dlopen: %s\n", dlerror ());
      return 1;
    }
  far_bti = get (guarded, "far_bti");
  far_pac = get (guarded, "far_pac");
  far_nopad = get (guarded, "far_nopad");
  plain_nopad = get (plain, "far_nopad");
  printf ("sites at %p, targets at %p and %p\n", (void *) site,
	  (void *) far_bti, (void *) plain_nopad);
  d = (uintptr_t) far_bti > site ? (uintptr_t) far_bti - site
				 : site - (uintptr_t) far_bti;
  check (d >= (1UL << 27), "the guarded targets are out of a BL's reach");
  d = (uintptr_t) plain_nopad > site ? (uintptr_t) plain_nopad - site
				     : site - (uintptr_t) plain_nopad;
  check (d >= (1UL << 27), "the unguarded target is out of a BL's reach");
  printf ("first words: far_bti %08x far_pac %08x far_nopad %08x\n",
	  *(uint32_t *) far_bti, *(uint32_t *) far_pac,
	  *(uint32_t *) far_nopad);

  /* 1 */
  rc = staticcall_update (work, far_bti);
  check (rc == 0 && call_work (1) == 33 && tail_work (1) == 11,
	 "guarded far_bti (bti c) through a veneer: updated and called");
  rc = staticcall_update (work, far_pac);
  check (rc == 0 && call_work (1) == 66 && tail_work (1) == 22,
	 "guarded far_pac (paciasp) through a veneer: updated and called");
  /* 2 */
  rc = staticcall_update (work, far_nopad);
  check (rc == -EPERM, "guarded far_nopad (no landing pad): refused with -EPERM");
  check (staticcall_query (work) == (void *) far_pac
	 && call_work (1) == 66 && tail_work (1) == 22,
	 "after the refusal the old target stays");
  /* 3 */
  rc = staticcall_update (work, plain_nopad);
  check (rc == 0 && call_work (1) == 93 && tail_work (1) == 31,
	 "unguarded far_nopad (unmarked object) through a veneer: updated and called");
  staticcall_reset (work);
  check (call_work (1) == 6, "reset to the default");
  fflush (stdout);

  /* 4 */
  pid = fork ();
  if (pid == 0)
    {
      static struct staticcall_platform blind;
      struct sigaction sa;

      memset (&sa, 0, sizeof sa);
      sa.sa_sigaction = on_sigill;
      sa.sa_flags = SA_SIGINFO;
      sigaction (SIGILL, &sa, NULL);
      fault_expected = (uintptr_t) far_nopad;
      /* the hosted platform without its answer */
      blind = *staticcall_get_platform ();
      blind.text_guarded = NULL;
      staticcall_set_platform (&blind);
      rc = staticcall_update (work, far_nopad);
      printf ("child: update without text_guarded: %d\n", rc);
      fflush (stdout);
      if (rc)
	_exit (1);
      printf ("child: call_work returned %ld (no fault)\n", call_work (1));
      fflush (stdout);
      _exit (0);
    }
  if (pid < 0 || waitpid (pid, &status, 0) != pid)
    return 2;
  check (WIFEXITED (status) && WEXITSTATUS (status) == 86,
	 "negative control: without the refusal, the call through the veneer takes SIGILL at far_nopad");
  return failures ? 1 : 0;
}
