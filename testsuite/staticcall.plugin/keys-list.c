/* -fplugin-arg-staticcall-keys=foo,bar: calls to foo and bar become sites
   without any attribute; a call to baz does not.  */
/* { dg-do compile } */
/* { dg-options "-fplugin-arg-staticcall-keys=foo,bar" } */

extern int foo(int), bar(int), baz(int);

__attribute__((noinline)) int use(int x) { return foo(x) + bar(x) * baz(x); }

/* { dg-final { scan-assembler-times {\t\.long __staticcall_key\.foo - } 1 } } */
/* { dg-final { scan-assembler-times {\t\.long __staticcall_key\.bar - } 1 } } */
/* { dg-final { scan-assembler-not {__staticcall_key\.baz} } } */
/* { dg-final { scan-assembler-times {\.pushsection staticcall_sites,"aR\?"} 2 } } */
