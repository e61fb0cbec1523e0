/* Site form: each call to a static_call function is a direct call to it
   right after its record (x86-64: aligned by .p2align 3,0x2e,4); no synthetic
   name reaches the assembly.  */
/* { dg-do compile } */

int f(int) __attribute__((static_call));

__attribute__((noinline)) int g1(int x) { return f(x) + 1; }
__attribute__((noinline)) int g2(int x) { return 2 * f(x + 1); }

/* { dg-final { scan-assembler-times {#NO_APP\n\tcall\tf@PLT\n} 2 { target x86_64-*-* } } } */
/* { dg-final { scan-assembler-times {\t\.p2align 3,0x2e,4\n\.Lscsite[0-9]+:\n} 2 { target x86_64-*-* } } } */
/* { dg-final { scan-assembler-times {#NO_APP\n\tbl\tf\n} 2 { target aarch64-*-* } } } */
/* { dg-final { scan-assembler-times {#NO_APP\n\tbl f\n\tnop\n} 2 { target powerpc64le-*-* } } } */
/* { dg-final { scan-assembler-times {\.Lscsite([0-9]+):\n\t\.pushsection staticcall_sites,"aR\?",%progbits\n\t\.balign 8\n\t\.long \.Lscsite\1 - \.\n\t\.long __staticcall_key\.f - \. \+ 4 \+ 4\n\t\.popsection\n} 2 { target x86_64-*-* } } } */
/* { dg-final { scan-assembler-times {\.Lscsite([0-9]+):\n\t\.pushsection staticcall_sites,"aR\?",%progbits\n\t\.balign 8\n\t\.long \.Lscsite\1 - \.\n\t\.long __staticcall_key\.f - \. \+ 4 \+ 0\n\t\.popsection\n} 2 { target aarch64-*-* } } } */
/* { dg-final { scan-assembler-times {\.Lscsite([0-9]+):\n\t\.pushsection staticcall_sites,"aR\?",%progbits\n\t\.balign 8\n\t\.long \.Lscsite\1 - \.\n\t\.long __staticcall_key\.f - \. \+ 4 \+ 4\n\t\.popsection\n} 2 { target powerpc64le-*-* } } } */
/* { dg-final { scan-assembler-not {__staticcall_site} } } */
/* { dg-final { scan-assembler-not {GOTPCREL} } } */
