/* Tail calls and recursion through sites: self recursion, mutual
   recursion, deep tail recursion and a tail call with fewer arguments;
   the same results with and without the plugin.  */
#include <stdio.h>

/* Without the plugin the attribute is unknown: plain calls. */
#ifdef __STATICCALL__
#define SC __attribute__((static_call))
#else
#define SC
#endif

long fib(int n) SC;
int is_even(unsigned n) SC;
static int is_odd(unsigned n) SC;
long count(long n, long acc) SC;
static long fwd(long n) SC;

long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }
long count(long n, long acc) { return n == 0 ? acc : count(n - 1, acc + n % 7); }
static long fwd(long n) { return count(n, 1); }

int main(void)
{
	printf("%ld %ld\n", fib(20), fib(1));
	printf("%d %d %d\n", is_even(1000), is_even(777), is_odd(3));
	printf("%ld %ld\n", count(20000, 0), fwd(123));
	return 0;
}
