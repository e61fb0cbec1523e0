/* Function-pointer keys: a call through a static_call variable becomes a
   direct call to its static initializer, recorded as a site of the
   variable's key (STATICCALL_KEY_FNPTR; ident the variable).  */
/* { dg-do compile } */

static int one(int x) { return x + 1; }
static int (*op)(int) __attribute__((static_call)) = one;
extern int two(int);
int (*pop)(int) __attribute__((static_call)) = &two;

__attribute__((noinline)) int use(int x) { return op(x) * 2 + pop(x); }
int (*get(void))(int) { return op; }

/* { dg-final { scan-assembler-times {#NO_APP\n\tcall\tone@PLT\n} 1 { target x86_64-*-* } } } */
/* { dg-final { scan-assembler-times {#NO_APP\n\tcall\ttwo@PLT\n} 1 { target x86_64-*-* } } } */
/* { dg-final { scan-assembler-times {#NO_APP\n\tbl\tone\n} 1 { target aarch64-*-* } } } */
/* { dg-final { scan-assembler-times {#NO_APP\n\tbl\ttwo\n} 1 { target aarch64-*-* } } } */
/* { dg-final { scan-assembler-times {#NO_APP\n\tbl one\n\tnop\n} 1 { target powerpc64le-*-* } } } */
/* { dg-final { scan-assembler-times {#NO_APP\n\tbl two\n\tnop\n} 1 { target powerpc64le-*-* } } } */
/* { dg-final { scan-assembler-times {\t\.long __staticcall_key\.op\.[0-9]+ - \. \+ 4 \+ [04]\n} 1 } } */
/* { dg-final { scan-assembler-times {\t\.long __staticcall_key\.pop - \. \+ 4 \+ [04]\n} 1 } } */
/* { dg-final { scan-assembler {\t\.short 1, 1\n\t\.long \.Lsckeyname[0-9]+ - \.\n\t\.long 0\n\t\.quad op\n\t\.quad one\n} } } */
/* { dg-final { scan-assembler {__staticcall_key\.pop:\n\t\.long 0x4b435353\n\t\.short 1, 1\n\t\.long \.Lsckeyname[0-9]+ - \.\n\t\.long 0\n\t\.quad pop\n\t\.quad two\n} } } */
