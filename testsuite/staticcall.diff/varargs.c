/* Sites of variadic keys (ints, doubles, strings through va_list, and a
   forwarding vprintf-style key) print the same with and without the plugin.  */
#include <stdarg.h>
#include <stdio.h>

/* Without the plugin the attribute is unknown: plain calls. */
#ifdef __STATICCALL__
#define SC __attribute__((static_call))
#else
#define SC
#endif

long sum(int n, ...) SC;
double dsum(int n, ...) SC;
int say(const char *fmt, ...) SC;

long sum(int n, ...)
{
	va_list ap;
	long s = 0;

	va_start(ap, n);
	for (int i = 0; i < n; i++)
		s = s * 3 + va_arg(ap, int);
	va_end(ap);
	return s;
}

double dsum(int n, ...)
{
	va_list ap;
	double s = 0;

	va_start(ap, n);
	for (int i = 0; i < n; i++)
		s = s * 0.5 + va_arg(ap, double);
	va_end(ap);
	return s;
}

static int vsay(const char *fmt, va_list ap)
{
	return vprintf(fmt, ap);
}

int say(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsay(fmt, ap);
	va_end(ap);
	return n;
}

int main(void)
{
	printf("%ld %ld %ld\n", sum(0), sum(1, 7), sum(5, 1, 2, 3, 4, 5));
	printf("%ld\n", sum(12, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
	printf("%.6f %.6f\n", dsum(2, 1.5, 2.25),
	       dsum(10, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0));
	int n = say("%s|%d|%.3f|%c|%ld\n", "str", -42, 3.25, 'x', 1L << 40);
	say("printed %d\n", n);
	return 0;
}
