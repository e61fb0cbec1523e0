/* powerpc64le: every function holding a site saves r2 to its TOC save slot
   in the prologue, on every path that reaches the site, even where
   (separate) shrink-wrapping would have moved or dropped the save, and its
   sites say so (STATICCALL_SITE_TOC_SAVED, 4): the runtime then calls a
   same-TOC target with a direct bl.  A function with alloca (r1 moves, so
   24(r1) at the site is not the slot the prologue wrote) is not marked.
   A marked site's nop becomes the TOC restore here, and it has a byte of
   staticcall_prepared (the runtime need not read the text to prepare
   it); the alloca one has none.  */
/* { dg-do compile { target powerpc64le-*-* } } */

int f(int) __attribute__((static_call));
int other(int);

int early(int x, int *p)
{
	if (__builtin_expect(x == 0, 1))
		return p[1];
	int a = other(x);
	int b = f(a);
	return a + b + other(b);
}

int loop(int n, int *p)
{
	int s = 0;

	if (!p)
		return -1;
	for (int i = 0; i < n; i++)
		if (p[i] > 3)
			s += f(p[i]);
	return s;
}

int simple(int x) { return f(x) + 1; }

void use(char *);
int vla(int n)
{
	char buf[n];

	use(buf);
	return f(n);
}

/* { dg-final { scan-assembler-times {\tstd 2,24\(1\)\n} 3 } } */
/* { dg-final { scan-assembler {\nearly:\n(?:[^\n]*\n)*?\tstd 2,24\(1\)\n(?:[^\n]*\n)*?\t\.Lscsite[0-9]+:\n(?:[^\n]*\n)*?\t\.size\tearly,} } } */
/* { dg-final { scan-assembler {\nloop:\n(?:[^\n]*\n)*?\tstd 2,24\(1\)\n(?:[^\n]*\n)*?\t\.Lscsite[0-9]+:\n(?:[^\n]*\n)*?\t\.size\tloop,} } } */
/* { dg-final { scan-assembler {\nsimple:\n(?:[^\n]*\n)*?\tstd 2,24\(1\)\n(?:[^\n]*\n)*?\t\.Lscsite[0-9]+:\n(?:[^\n]*\n)*?\t\.size\tsimple,} } } */
/* { dg-final { scan-assembler-times {\t\.long __staticcall_key\.f - \. \+ 4 \+ 4\n} 3 } } */
/* { dg-final { scan-assembler-times {\t\.long __staticcall_key\.f - \. \+ 4 \+ 0\n} 1 } } */
/* { dg-final { scan-assembler-times {\t\.pushsection staticcall_prepared,"awR\?",%nobits\n\t\.skip 1\n} 3 } } */
/* { dg-final { scan-assembler {\nvla:\n(?:(?!\t\.size\tvla,)[^\n]*\n)*?\t\.Lscsite[0-9]+:\n(?:(?!staticcall_prepared)[^\n]*\n)*?\t\.size\tvla,} } } */
