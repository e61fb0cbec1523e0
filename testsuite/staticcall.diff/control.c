/* Sites in loops and switches, keys with side effects (a call counter
   proves no call is merged or dropped), void keys, a noreturn-free
   early-exit path; identical output with and without the plugin.  */
#include <stdio.h>

/* Without the plugin the attribute is unknown: plain calls. */
#ifdef __STATICCALL__
#define SC __attribute__((static_call))
#else
#define SC
#endif

static unsigned calls;

int step(int x) SC;
void note(int x) SC;
static int sq(int x) SC;

int step(int x) { calls++; return x * 5 + 1; }
void note(int x) { calls += x & 1; }
static int sq(int x) { calls++; return x * x; }

static int run(int n)
{
	int acc = 0;

	for (int i = 0; i < n; i++) {
		switch (i % 5) {
		case 0: acc += step(i); break;
		case 1: acc -= sq(i); note(i); break;
		case 2: note(acc); /* fall through */
		case 3: acc ^= step(acc & 0xff); break;
		default: acc += sq(3) + sq(3); break;
		}
		if (acc > 100000)
			acc = step(acc % 1000);
	}
	while (n-- > 0 && sq(n) > 4)
		acc += n;
	return acc;
}

int main(void)
{
	for (int n = 0; n < 40; n += 7) {
		int r = run(n);
		printf("%d %d %u\n", n, r, calls);
	}
	return 0;
}
