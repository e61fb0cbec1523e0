/* A site never lets GCC use the default target's body: trivially inlinable,
   pure, constant-propagatable (constprop), SRA-able (isra) or splittable
   (part) defaults stay plain calls, one per source call, at every -O.  */
/* { dg-do compile } */

struct big { int a, b[16]; };

static int sq(int) __attribute__((static_call));
static int sq(int x) { return x * x; }
static int k(int, int) __attribute__((static_call));
static int k(int a, int mode) { return mode ? a : -a; }
static int field(struct big) __attribute__((static_call));
static int field(struct big s) { return s.a; }
static int loop(int) __attribute__((static_call));
static int loop(int n)
{
	if (n > 3)
		return 0;
	int s = 0;
	for (int i = 0; i < n * 100; i++)
		s += i * n ^ (s >> 3);
	return s;
}

int use(int x, struct big *b)
{
	return sq(x) + sq(x) + sq(3) + k(x, 1) + k(x + 1, 1) + field(*b) +
	       loop(x) + loop(7);
}

/* { dg-final { scan-assembler-not {\.constprop|\.isra|\.part} } } */
/* { dg-final { scan-assembler-times {#NO_APP\n\tcall\tsq@PLT\n} 3 { target x86_64-*-* } } } */
/* { dg-final { scan-assembler-times {#NO_APP\n\tcall\tk@PLT\n} 2 { target x86_64-*-* } } } */
/* { dg-final { scan-assembler-times {#NO_APP\n\tcall\tfield@PLT\n} 1 { target x86_64-*-* } } } */
/* { dg-final { scan-assembler-times {#NO_APP\n\tcall\tloop@PLT\n} 2 { target x86_64-*-* } } } */
/* { dg-final { scan-assembler-times {#NO_APP\n\tbl\tsq\n} 3 { target aarch64-*-* } } } */
/* { dg-final { scan-assembler-times {#NO_APP\n\tbl\tk\n} 2 { target aarch64-*-* } } } */
/* { dg-final { scan-assembler-times {#NO_APP\n\tbl\tloop\n} 2 { target aarch64-*-* } } } */
/* { dg-final { scan-assembler-times {#NO_APP\n\tbl sq\n\tnop\n} 3 { target powerpc64le-*-* } } } */
/* { dg-final { scan-assembler-times {#NO_APP\n\tbl k\n\tnop\n} 2 { target powerpc64le-*-* } } } */
/* { dg-final { scan-assembler-times {#NO_APP\n\tbl loop\n\tnop\n} 2 { target powerpc64le-*-* } } } */
/* The default targets themselves are still emitted (the key records
   point at them).  */
/* { dg-final { scan-assembler {\nsq:\n} } } */
/* { dg-final { scan-assembler {\nfield:\n} } } */
