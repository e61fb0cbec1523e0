/* With -fplugin-arg-staticcall-keys=all every direct call is a site; the program must still print the same.
   Covers what call sites carry: stack arguments, floats, struct returns, varargs, recursion, tail calls.  */
/* { dg-staticcall-plugin-options "-fplugin-arg-staticcall-keys=all" } */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pair { long a, b; };
struct big { long v[6]; };

__attribute__((noinline)) struct pair mkpair (long a, long b) { struct pair p = { a, b }; return p; }
__attribute__((noinline)) struct big mkbig (long x)
{
  struct big r;
  for (int i = 0; i < 6; i++)
    r.v[i] = x * (i + 1);
  return r;
}
__attribute__((noinline)) long many (long a, long b, long c, long d, long e, long f,
				     long g, long h, long i, long j, double x, double y)
{
  return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h + 9 * i + 10 * j
	 + (long) (x * 100.0) + (long) (y * 1000.0);
}
__attribute__((noinline)) double scale (double x, float f) { return x * f; }
__attribute__((noinline)) long sum (int n, ...)
{
  va_list ap;
  long s = 0;
  va_start (ap, n);
  for (int i = 0; i < n; i++)
    s += va_arg (ap, long);
  va_end (ap);
  return s;
}
__attribute__((noinline)) int fib (int n) { return n < 2 ? n : fib (n - 1) + fib (n - 2); }
__attribute__((noinline)) static long count (long n, long acc) { return n == 0 ? acc : count (n - 1, acc + n); }
static int cmp (const void *a, const void *b) { return *(const int *) a - *(const int *) b; }
__attribute__((noinline)) static unsigned hash (const char *s)
{
  unsigned h = 5381;
  while (*s)
    h = h * 33 + (unsigned char) *s++;
  return h;
}
__attribute__((noinline)) static int odd (int n);
__attribute__((noinline)) static int even (int n) { return n == 0 ? 1 : odd (n - 1); }
__attribute__((noinline)) static int odd (int n) { return n == 0 ? 0 : even (n - 1); }

int
main (void)
{
  int a[32];
  char buf[64];
  for (int i = 0; i < 32; i++)
    a[i] = (i * 7919) % 61;
  qsort (a, 32, sizeof a[0], cmp);
  for (int i = 0; i < 32; i++)
    printf ("%d%c", a[i], i == 31 ? '\n' : ' ');
  struct pair p = mkpair (3, -4);
  struct big g = mkbig (7);
  printf ("pair %ld %ld big %ld %ld\n", p.a, p.b, g.v[0], g.v[5]);
  printf ("many %ld scale %.3f sum %ld\n", many (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0.5, 0.25),
	  scale (1.5, 2.5f), sum (4, 10L, 20L, 30L, 40L));
  printf ("fib %d count %ld even %d odd %d\n", fib (20), count (10000, 0), even (101), odd (101));
  snprintf (buf, sizeof buf, "%u", hash ("staticcall"));
  printf ("hash %s len %zu\n", buf, strlen (buf));
  return 0;
}
