/* Kernel mode, a module: a site whose key the unit does not refer to
   (static_call_mod(): the key need not be exported) names the trampoline,
   which the module loader replaces by the key (static_call_add_module),
   as objtool does; a key the unit refers to is named.  */
/* { dg-do compile } */
/* { dg-options "-O2 -fplugin-arg-staticcall-linux -DCONFIG_HAVE_STATIC_CALL_INLINE=1 -DMODULE" } */
#include "linux-sct.h"

int foo_func (int);
DECLARE_STATIC_CALL(foo, foo_func);
int bar_func (int);
DECLARE_STATIC_CALL(bar, bar_func);

int f (int x) { return static_call_mod (foo) (x) + 1; }
int g (int x) { return static_call (bar) (x) + 1; }

/* { dg-final { scan-assembler-times {\t\.long __SCT__foo - \. \+ 0\n} 1 { target x86_64-*-* aarch64-*-* } } } */
/* { dg-final { scan-assembler-times {\t\.long __SCK__bar - \. \+ 0\n} 1 { target x86_64-*-* aarch64-*-* } } } */
/* powerpc64: a module is beyond 2 GB of the kernel: the record names a
   pointer of the module's data to the key, plus 4 (indirect).  */
/* { dg-final { scan-assembler-times {\t\.long (\.Lsclinux[0-9]+)k - \. \+ 4\n\t\.popsection\n\t\.pushsection \.data,"aw",%progbits\n\t\.balign 8\n\1k:\n\t\.quad __SCT__foo\n} 1 { target powerpc64le-*-* } } } */
/* { dg-final { scan-assembler-times {\t\.long (\.Lsclinux[0-9]+)k - \. \+ 4\n\t\.popsection\n\t\.pushsection \.data,"aw",%progbits\n\t\.balign 8\n\1k:\n\t\.quad __SCK__bar\n} 1 { target powerpc64le-*-* } } } */
/* powerpc64: the r2 save before each site, but the nop after it kept:
   the module loader writes the restore there itself (module_64.c,
   restore_r2) and refuses any other instruction.  */
/* { dg-final { scan-assembler-times {\tstd 2,24\(1\)\n\.Lsclinux[0-9]+:\n} 2 { target powerpc64le-*-* } } } */
/* { dg-final { scan-assembler-not {\.macro nop} { target powerpc64le-*-* } } } */
