/* Struct returns through sites: a large struct returned in memory (sret),
   small ones in registers, floats mixed in; with and without the plugin.  */
#include <stdio.h>

/* Without the plugin the attribute is unknown: plain calls. */
#ifdef __STATICCALL__
#define SC __attribute__((static_call))
#else
#define SC
#endif

struct big { long a[9]; char tag[5]; };
struct pair { int x, y; };
struct fl { float f; double d; };

struct big make_big(long seed, char c) SC;
struct pair make_pair(int x) SC;
struct fl make_fl(float f) SC;
static struct big twice(struct big b) SC;

struct big make_big(long seed, char c)
{
	struct big b;

	for (int i = 0; i < 9; i++)
		b.a[i] = seed * (i + 1);
	for (int i = 0; i < 4; i++)
		b.tag[i] = c + i;
	b.tag[4] = 0;
	return b;
}

struct pair make_pair(int x) { return (struct pair){ x, -x * 2 }; }
struct fl make_fl(float f) { return (struct fl){ f * 2, f / 4.0 }; }

static struct big twice(struct big b)
{
	for (int i = 0; i < 9; i++)
		b.a[i] *= 2;
	return b;
}

/* A tail call returning a struct in memory. */
struct big chain(long s) { return twice(make_big(s, 'a')); }

int main(void)
{
	struct big b = chain(3);
	struct pair p = make_pair(21);
	struct fl f = make_fl(1.5f);
	long t = 0;

	for (int i = 0; i < 9; i++)
		t += b.a[i];
	printf("%ld %s %d %d %.3f %.3f\n", t, b.tag, p.x, p.y, f.f, f.d);
	for (int i = 0; i < 4; i++) {
		struct big c = twice(twice(make_big(i, 'k' + i)));
		printf("%ld %ld %s\n", c.a[0], c.a[8], c.tag);
	}
	return 0;
}
