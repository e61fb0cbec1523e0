/* -fplugin-arg-staticcall-keys=all: every direct call is a site, except
   calls GCC must see through (builtins such as memcpy and abs).  */
/* { dg-do compile } */
/* { dg-options "-fplugin-arg-staticcall-keys=all" } */

extern int foo(int), bar(int);
static __attribute__((noinline)) int loc(int x) { return x * 3; }

__attribute__((noinline)) int use(int x, char *d, const char *s)
{
	__builtin_memcpy(d, s, 4);
	return foo(x) + bar(x) + loc(x) + __builtin_abs(x);
}

/* { dg-final { scan-assembler-times {\t\.long __staticcall_key\.foo - } 1 } } */
/* { dg-final { scan-assembler-times {\t\.long __staticcall_key\.bar - } 1 } } */
/* { dg-final { scan-assembler-times {\t\.long __staticcall_key\.loc\.[0-9]+ - } 1 } } */
/* { dg-final { scan-assembler-not {__staticcall_key\.(memcpy|abs)} } } */
