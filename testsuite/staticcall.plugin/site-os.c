/* Site form under -Os: still a direct call to the
   key right after its record, never through the GOT or PLT load.  */
/* { dg-do compile } */
/* { dg-options "-Os" } */

int f(int) __attribute__((static_call));
extern int ext(int);

__attribute__((noinline)) int g1(int x) { return f(x) + ext(x); }
__attribute__((noinline)) int g2(int x) { return 2 * f(x + 1); }

/* { dg-final { scan-assembler-times {#NO_APP\n\tcall\tf@PLT\n} 2 { target x86_64-*-* } } } */
/* { dg-final { scan-assembler-times {\t\.p2align 3,0x2e,4\n\.Lscsite[0-9]+:\n} 2 { target x86_64-*-* } } } */
/* { dg-final { scan-assembler-times {#NO_APP\n\tbl\tf\n} 2 { target aarch64-*-* } } } */
/* { dg-final { scan-assembler-times {#NO_APP\n\tbl f\n\tnop\n} 2 { target powerpc64le-*-* } } } */
/* { dg-final { scan-assembler-times {\t\.long __staticcall_key\.f - \. \+ 4 \+ [04]\n} 2 } } */
/* { dg-final { scan-assembler-not {__staticcall_site} } } */
