/* -fplugin-arg-staticcall-global-calls=all: on powerpc64le every call to
   a local function gets the global form bl f; nop (what a live patch that
   later binds it to another object needs).  Accepted elsewhere.  */
/* { dg-do compile } */
/* { dg-options "-fplugin-arg-staticcall-global-calls=all" } */

static __attribute__((noinline)) int a(int x) { return x + 2; }
static __attribute__((noinline)) int b(int x) { return x + 1; }

int use(int x) { return a(x) * b(x + 1); }

/* { dg-final { scan-assembler-times {\tbl a\n\tnop\n} 1 { target powerpc64le-*-* } } } */
/* { dg-final { scan-assembler-times {\tbl b\n\tnop\n} 1 { target powerpc64le-*-* } } } */
/* { dg-final { scan-assembler-not {staticcall_sites} } } */
