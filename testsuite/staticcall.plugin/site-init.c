/* A site in init text (a function placed in .init.text, as kernels free it
   after boot) carries STATICCALL_SITE_INIT (2) so the runtime can skip it
   once that text is gone; other sites do not.  */
/* { dg-do compile } */

int f(int) __attribute__((static_call));

__attribute__((noinline, section(".init.text"))) int boot(int x) { return f(x) * 2; }
__attribute__((noinline)) int run(int x) { return f(x) * 3; }

/* { dg-final { scan-assembler-times {\t\.long __staticcall_key\.f - \. \+ 4 \+ 6\n} 1 { target x86_64-*-* } } } */
/* { dg-final { scan-assembler-times {\t\.long __staticcall_key\.f - \. \+ 4 \+ 4\n} 1 { target x86_64-*-* } } } */
/* { dg-final { scan-assembler-times {\t\.long __staticcall_key\.f - \. \+ 4 \+ 2\n} 1 { target aarch64-*-* } } } */
/* { dg-final { scan-assembler-times {\t\.long __staticcall_key\.f - \. \+ 4 \+ 0\n} 1 { target aarch64-*-* } } } */
/* powerpc64: STATICCALL_SITE_TOC_SAVED (4) as well */
/* { dg-final { scan-assembler-times {\t\.long __staticcall_key\.f - \. \+ 4 \+ 6\n} 1 { target powerpc64le-*-* } } } */
/* { dg-final { scan-assembler-times {\t\.long __staticcall_key\.f - \. \+ 4 \+ 4\n} 1 { target powerpc64le-*-* } } } */
