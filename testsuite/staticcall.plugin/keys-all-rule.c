/* The site rule under keys=all (doc/plugin.md "Which callees can be
   sites"): silently not sites are callees that return twice (by
   attribute or by GCC's list of names), a function named alloca, ifuncs,
   nested functions, const/pure callees, and calls in .init/.fini; an
   ordinary callee next to them is a site.  With -Wall -Wextra no warning
   appears that the same unit does not give without the plugin (the
   -Wclobbered and -Wmaybe-uninitialized ones a lost returns_twice gave).  */
/* { dg-do compile } */
/* { dg-options "-fplugin-arg-staticcall-keys=all -Wall -Wextra" } */

typedef long jb_t[64];
extern int _setjmp (jb_t);
extern int __sigsetjmp (jb_t, int);
extern int getcontext (void *);
extern int vfork (void);
extern int rt (void) __attribute__ ((returns_twice));
extern void longjmp (jb_t, int) __attribute__ ((noreturn));
extern int ordinary (int);
extern int pf (int) __attribute__ ((pure));
extern int cf (int) __attribute__ ((const));

static int impl (int x) { return x; }
static int (*resolve (void)) (int) { return impl; }
int ifn (int) __attribute__ ((ifunc ("resolve")));

static jb_t jb;

__attribute__ ((noinline)) int
twice (int x)
{
  int base = ordinary (x);
  int sum = base;

  if (_setjmp (jb) != 0)
    return sum;
  if (__sigsetjmp (jb, 0) || getcontext (jb) || vfork () || rt ())
    return 1;
  longjmp (jb, 1);
}

int
others (int x)
{
  int nested (int y) { return x + y; }
  return nested (x) + ifn (x) + pf (x) + cf (x) + ordinary (x);
}

__attribute__ ((section (".init"), used)) static void
in_init (void)
{
  ordinary (1);
}

/* { dg-final { scan-assembler {\t\.long __staticcall_key\.ordinary - } } } */
/* { dg-final { scan-assembler-not {__staticcall_key\.(_setjmp|__sigsetjmp|getcontext|vfork|rt|ifn|pf|cf|nested)} } } */
/* { dg-final { scan-assembler-times {\t\.long __staticcall_key\.ordinary - } 2 } } */
