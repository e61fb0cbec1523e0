/* Tail calls to a key: x86-64 jmp f@PLT (5 bytes, aligned) and aarch64 b f,
   recorded with STATICCALL_SITE_TAIL; powerpc64le never sibcalls a site
   (bl + nop keeps the caller's TOC), so no tail flag there.  */
/* { dg-do compile } */
/* { dg-options "-O2" } */

int f(int) __attribute__((static_call));

int tail(int x) { return f(x + 1); }

/* { dg-final { scan-assembler-times {#NO_APP\n\tjmp\tf@PLT\n} 1 { target x86_64-*-* } } } */
/* { dg-final { scan-assembler-times {\t\.long __staticcall_key\.f - \. \+ 4 \+ 5\n} 1 { target x86_64-*-* } } } */
/* { dg-final { scan-assembler-times {#NO_APP\n\tb\tf\n} 1 { target aarch64-*-* } } } */
/* { dg-final { scan-assembler-times {\t\.long __staticcall_key\.f - \. \+ 4 \+ 1\n} 1 { target aarch64-*-* } } } */
/* { dg-final { scan-assembler-times {#NO_APP\n\tbl f\n\tnop\n} 1 { target powerpc64le-*-* } } } */
/* { dg-final { scan-assembler-times {\t\.long __staticcall_key\.f - \. \+ 4 \+ 0\n} 1 { target powerpc64le-*-* } } } */
