/* aarch64 site form under -mbranch-protection=standard (BTI, PAC): the
   call stays a bl to the key after its record.  */
/* { dg-do compile { target aarch64-*-* } } */
/* { dg-options "-mbranch-protection=standard" } */

int f(int) __attribute__((static_call));

__attribute__((noinline)) int g1(int x) { return f(x) + 1; }
__attribute__((noinline)) int g2(int x) { return 2 * f(x + 1); }

/* { dg-final { scan-assembler-times {#NO_APP\n\tbl\tf\n} 2 } } */
/* { dg-final { scan-assembler-times {\t\.long __staticcall_key\.f - \. \+ 4 \+ 0\n} 2 } } */
/* { dg-final { scan-assembler {hint\t(34|25)} } } */
