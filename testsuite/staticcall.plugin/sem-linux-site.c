/* static_call(name)(...) of staticcall/linux.h with the plugin: a recorded
   direct call to the trampoline __SCT__name (the function key), never an
   indirect call through __SCK__name; the trampoline is emitted once.  */
/* { dg-do compile } */
/* { dg-options "-O2" } */
#include <staticcall/linux.h>

int func_a(int x);
DEFINE_STATIC_CALL(sc_t, func_a);

__attribute__((noinline)) int use(int x) { return static_call(sc_t)(x) + 1; }
__attribute__((noinline)) void hook(void) { static_call_cond(sc_t)(3); }

/* hook() makes a tail site, except on ppc64 (never tail sites) */
/* { dg-final { scan-assembler-times {#NO_APP\n\tcall\t__SCT__sc_t@PLT\n} 1 { target x86_64-*-* } } } */
/* { dg-final { scan-assembler-times {#NO_APP\n\tjmp\t__SCT__sc_t@PLT\n} 1 { target x86_64-*-* } } } */
/* { dg-final { scan-assembler-times {#NO_APP\n\tbl\t__SCT__sc_t\n} 1 { target aarch64-*-* } } } */
/* { dg-final { scan-assembler-times {#NO_APP\n\tb\t__SCT__sc_t\n} 1 { target aarch64-*-* } } } */
/* { dg-final { scan-assembler-times {#NO_APP\n\tbl __SCT__sc_t\n\tnop\n} 2 { target powerpc64le-*-* } } } */
/* { dg-final { scan-assembler-times {\.long __staticcall_key\.__SCT__sc_t - \.} 2 } } */
/* { dg-final { scan-assembler-times {\n__SCT__sc_t:\n} 1 } } */
/* { dg-final { scan-assembler-not {call\t\*} { target x86_64-*-* } } } */
/* { dg-final { scan-assembler-not {\tblr\tx} { target aarch64-*-* } } } */
/* { dg-final { scan-assembler-not {bctrl} { target powerpc64le-*-* } } } */
