/* Function-pointer keys (static and public, void and value-returning)
   called in loops and as arguments: sites call the static initializer,
   exactly as the pointer call did without the plugin.  */
#include <stdio.h>

/* Without the plugin the attribute is unknown: plain calls. */
#ifdef __STATICCALL__
#define SC __attribute__((static_call))
#else
#define SC
#endif

static int plus(int a, int b) { return a + b; }
static void show(const char *s, int v) { printf("%s=%d\n", s, v); }
int times(int a, int b) { return a * b; }

static int (*op)(int, int) SC = plus;
static void (*out)(const char *, int) SC = show;
int (*pub)(int, int) SC = &times;

static int fold(int n)
{
	int acc = 1;

	for (int i = 1; i <= n; i++)
		acc = op(acc, pub(i, i % 3 + 1));
	return acc;
}

int main(void)
{
	for (int n = 0; n < 5; n++)
		out("fold", fold(n));
	out("nested", op(op(1, 2), pub(op(3, 4), 5)));
	return 0;
}
