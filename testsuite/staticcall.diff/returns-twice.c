/* Calls that return twice are never sites under keys=all: setjmp (glibc's
   _setjmp), sigsetjmp (__sigsetjmp), getcontext and vfork, which glibc
   declares without the returns_twice attribute and GCC knows by name.
   A well-defined program (what changes after the first return is
   volatile) must print and return the same with and without the plugin,
   and give no warning (a lost returns_twice gave -Wmaybe-uninitialized).  */
/* { dg-staticcall-plugin-options "-fplugin-arg-staticcall-keys=all" } */
/* { dg-options "-Wall -Wextra" } */

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

static jmp_buf jb;
static sigjmp_buf sjb;

__attribute__((noinline)) static int get (int x) { return x * 10 + 6; }
__attribute__((noinline)) static void jump (int v) { longjmp (jb, v); }
__attribute__((noinline)) static void sjump (int v) { siglongjmp (sjb, v); }

static int
with_setjmp (int seed)
{
  int base = get (seed);	/* not changed after setjmp */
  volatile int n = 0;

  if (setjmp (jb) != 0)
    {
      if (++n < 4)
	jump (n);
      return base + n;
    }
  jump (1);
  return -1;
}

static int
with_sigsetjmp (int seed)
{
  int base = get (seed);
  volatile int n = 0;

  if (sigsetjmp (sjb, 1) != 0)
    {
      if (++n < 3)
	sjump (n);
      return base + n;
    }
  sjump (1);
  return -1;
}

static int
with_getcontext (void)
{
  ucontext_t uc;
  volatile int n = 0;

  if (getcontext (&uc) != 0)
    return -1;
  if (++n < 5)
    setcontext (&uc);
  return n;
}

static int
with_vfork (void)
{
  int status;
  pid_t pid = vfork ();

  if (pid == 0)
    _exit (get (0));
  if (pid < 0 || waitpid (pid, &status, 0) != pid || !WIFEXITED (status))
    return -1;
  return WEXITSTATUS (status);
}

int
main (int argc, char **argv)
{
  int a = with_setjmp (argc + 9);
  int b = with_sigsetjmp (argc);
  int c = with_getcontext ();
  int d = with_vfork ();

  (void) argv;
  printf ("%d %d %d %d\n", a, b, c, d);
  return a == 110 && b == 19 && c == 5 && d == 6 ? 0 : 1;
}
