/* static_call_global: on powerpc64le a call to a local function carrying
   it is emitted in the global form (bl f; nop, room for a TOC restore);
   other local calls keep bl f alone.  No site record: not a key.  On
   x86-64 and aarch64 the attribute is accepted and changes nothing.  */
/* { dg-do compile } */

static __attribute__((noinline, static_call_global)) int glob(int x) { return x + 2; }
static __attribute__((noinline)) int loc(int x) { return x + 1; }

int use(int x) { return glob(x) * loc(x + 1); }

/* { dg-final { scan-assembler-times {\tbl glob\n\tnop\n} 1 { target powerpc64le-*-* } } } */
/* under -g (scripts/check --hardened) a debug label may follow the call */
/* { dg-final { scan-assembler-times {\tbl loc\n(?:\.L[^\n]*:\n)*\t[^n]} 1 { target powerpc64le-*-* } } } */
/* { dg-final { scan-assembler-times {\tcall\tglob\n} 1 { target x86_64-*-* } } } */
/* { dg-final { scan-assembler-not {staticcall_sites} } } */
/* { dg-final { scan-assembler-not {__staticcall_global} } } */
