/* x86-64 site form under -fcf-protection (IBT/SHSTK): the call stays a
   5-byte direct call after its aligned record, with no notrack prefix.  */
/* { dg-do compile { target x86_64-*-* } } */
/* { dg-options "-fcf-protection=full" } */

int f(int) __attribute__((static_call));

__attribute__((noinline)) int g1(int x) { return f(x) + 1; }
__attribute__((noinline)) int g2(int x) { return 2 * f(x + 1); }

/* { dg-final { scan-assembler-times {#NO_APP\n\tcall\tf@PLT\n} 2 } } */
/* { dg-final { scan-assembler-times {\t\.p2align 3,0x2e,4\n\.Lscsite[0-9]+:\n} 2 } } */
/* { dg-final { scan-assembler {endbr64} } } */
