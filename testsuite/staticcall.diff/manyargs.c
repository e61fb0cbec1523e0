/* Keys taking more than 8 arguments (stack-passed ints, doubles, mixed
   widths, a struct by value): sites must pass every argument unchanged.  */
#include <stdio.h>

/* Without the plugin the attribute is unknown: plain calls. */
#ifdef __STATICCALL__
#define SC __attribute__((static_call))
#else
#define SC
#endif

struct s3 { short a; char b; long c; };

long many(int a, long b, short c, char d, int e, long f, int g, int h,
	  int i, long j, int k, char l) SC;
double fmany(double a, float b, double c, double d, double e, double f,
	     double g, double h, double i, float j, int k, double l)
	SC;
long mixed(int a, double b, struct s3 s, int c, int d, int e, int f, int g,
	   int h, int i, double j) SC;

long many(int a, long b, short c, char d, int e, long f, int g, int h,
	  int i, long j, int k, char l)
{
	return ((((((((((a * 3 + b) * 3 + c) * 3 + d) * 3 + e) * 3 + f) * 3 +
		g) * 3 + h) * 3 + i) * 3 + j) * 3 + k) * 3 + l;
}

double fmany(double a, float b, double c, double d, double e, double f,
	     double g, double h, double i, float j, int k, double l)
{
	return a - b * 2 + c * 3 - d * 4 + e * 5 - f * 6 + g * 7 - h * 8 +
	       i * 9 - j * 10 + k * 11 - l * 12;
}

long mixed(int a, double b, struct s3 s, int c, int d, int e, int f, int g,
	   int h, int i, double j)
{
	return a + (long)(b * 10) + s.a * 100 + s.b * 1000 + s.c * 10000 +
	       c + d * 2 + e * 3 + f * 4 + g * 5 + h * 6 + i * 7 +
	       (long)(j * 100);
}

int main(void)
{
	struct s3 s = { 7, 3, 11 };

	for (int r = 0; r < 3; r++) {
		printf("%ld\n", many(1 + r, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
		printf("%.4f\n", fmany(1.5, 2.5f, 3, 4, 5, 6, 7, 8, 9 + r, 10.5f,
				       11, 12.25));
		printf("%ld\n", mixed(r, 1.25, s, 1, 2, 3, 4, 5, 6, 7, 0.5));
	}
	return 0;
}
