/* Contradictory attributes: always_inline cannot hold for a site (warned);
   pure/const are ignored at sites because the target changes at run time
   (warned, whatever the order; the calls are not merged).  */
/* { dg-do compile } */

static inline __attribute__((always_inline, static_call)) int ai(int x) { return x + 1; } /* { dg-warning "'always_inline' contradicts 'static_call'" } */
__attribute__((const, static_call)) int cf(int); /* { dg-warning "ignored at its 'static_call' sites" } */
__attribute__((static_call, pure)) int pf(int); /* { dg-warning "ignored at its 'static_call' sites" } */

int use(int x) { return ai(x) + cf(x) + cf(x) + pf(x) - pf(x); }

/* { dg-final { scan-assembler-times {\t\.long __staticcall_key\.cf - } 2 } } */
/* { dg-final { scan-assembler-times {\t\.long __staticcall_key\.pf - } 2 } } */
/* { dg-final { scan-assembler-times {\t\.long __staticcall_key\.ai\.[0-9]+ - } 1 } } */
