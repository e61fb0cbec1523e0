/* Tail calls to a key: x86-64 jmp f@PLT (5 bytes, aligned) and aarch64 b f,
   recorded with STATICCALL_SITE_TAIL; powerpc64le never sibcalls a site
   (bl + nop keeps the caller's TOC), so no tail flag there, only
   STATICCALL_SITE_TOC_SAVED (4).  On x86-64 a
   tail site to a static key jumps to a weak hidden alias of it, which gas
   cannot relax to a 2-byte jmp; the alias has no type (objtool checks
   every function symbol's size and end; the alias is not a function).  */
/* { dg-do compile } */
/* { dg-options "-O2" } */

int f(int) __attribute__((static_call));

int tail(int x) { return f(x + 1); }

static int sf(int) __attribute__((static_call));
static __attribute__((noinline)) int sf(int x) { return x * 2; }
int stail(int x) { return sf(x - 1); }

/* { dg-final { scan-assembler-times {#NO_APP\n\tjmp\tf@PLT\n} 1 { target x86_64-*-* } } } */
/* { dg-final { scan-assembler-times {\t\.long __staticcall_key\.f - \. \+ 4 \+ 5\n} 1 { target x86_64-*-* } } } */
/* { dg-final { scan-assembler-times {\t\.weak (__staticcall_tail\.sf\.[0-9]+\.[0-9a-f]+)\n\t\.hidden \1\n\t\.set \1, sf\n\t\.type \1, %notype\n(?:[^\n]*\n){14}\tjmp\t\1@PLT\n} 1 { target x86_64-*-* } } } */
/* { dg-final { scan-assembler-times {#NO_APP\n\tb\tf\n} 1 { target aarch64-*-* } } } */
/* { dg-final { scan-assembler-times {#NO_APP\n\tb\tsf\n} 1 { target aarch64-*-* } } } */
/* { dg-final { scan-assembler-times {\t\.long __staticcall_key\.f - \. \+ 4 \+ 1\n} 1 { target aarch64-*-* } } } */
/* { dg-final { scan-assembler-times {#NO_APP\n\tbl f\n\tnop\n} 1 { target powerpc64le-*-* } } } */
/* { dg-final { scan-assembler-times {\t\.long __staticcall_key\.f - \. \+ 4 \+ 4\n} 1 { target powerpc64le-*-* } } } */
