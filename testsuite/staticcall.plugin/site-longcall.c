/* powerpc64le site form under -mlongcall: the plugin's shortcall keeps
   every site a bl + nop, never an mtctr/bctrl sequence.  */
/* { dg-do compile { target powerpc64le-*-* } } */
/* { dg-options "-mlongcall" } */

int f(int) __attribute__((static_call));

__attribute__((noinline)) int g1(int x) { return f(x) + 1; }
__attribute__((noinline)) int g2(int x) { return 2 * f(x + 1); }

/* { dg-final { scan-assembler-times {#NO_APP\n\tbl f\n\tnop\n} 2 } } */
/* { dg-final { scan-assembler-not {bctrl} } } */
