/* Kernel mode (doc "Building Linux"): a call to a Linux static call
   trampoline __SCT__<name>, in a kernel whose static calls are inline
   (CONFIG_HAVE_STATIC_CALL_INLINE), gets the kernel's own record in
   .static_call_sites, as objtool's --static-call pass writes it: the
   site's offset, the key __SCK__<name>'s offset plus 1 for a tail call.
   static_call() is an indirect call through a temporary until GCC folds
   it (after the sites pass), so this needs no keys=.  No record of ours
   for it, and none of our sections outside .discard.*.  */
/* { dg-do compile } */
/* { dg-options "-O2 -fplugin-arg-staticcall-linux -DCONFIG_HAVE_STATIC_CALL_INLINE=1" } */
#include "linux-sct.h"

int foo_func (int);
DECLARE_STATIC_CALL(foo, foo_func);
void bar_func (void);
DECLARE_STATIC_CALL(bar, bar_func);

int f (int x) { return static_call (foo) (x) + 1; }
void g (void) { static_call (bar) (); }

/* { dg-final { scan-assembler-times {\t\.pushsection \.static_call_sites,"aw",%progbits\n} 2 } } */
/* { dg-final { scan-assembler-times {\n\t?(\.Lsclinux[0-9]+):\n\t\.pushsection \.static_call_sites,"aw",%progbits\n\t\.balign 4\n\t\.long \1 - \.\n\t\.long __SCK__foo - \. \+ 0\n} 1 } } */
/* { dg-final { scan-assembler-times {\t\.long __SCK__bar - \. \+ 1\n} 1 { target x86_64-*-* aarch64-*-* } } } */
/* { dg-final { scan-assembler-times {\t\.long __SCK__bar - \. \+ 0\n} 1 { target powerpc64le-*-* } } } */
/* { dg-final { scan-assembler-not {staticcall_(sites|index|prepared|keys)|staticcall_names} } } */
/* powerpc64: r2 saved just before each site and restored after it (the
   nop made the ld by a macro until the call is out), so the kernel may
   bind the site to a target of another TOC.  */
/* { dg-final { scan-assembler-times {\tstd 2,24\(1\)\n\.Lsclinux[0-9]+:\n} 2 { target powerpc64le-*-* } } } */
/* { dg-final { scan-assembler-times {\t\.macro nop\n\tld 2,24\(1\)\n\t\.endm\n} 2 { target powerpc64le-*-* } } } */
/* { dg-final { scan-assembler-times {\tbl __SCT__(foo|bar)\n\tnop\n#APP\n[^\n]*\n\t\t?\.purgem nop\n} 2 { target powerpc64le-*-* } } } */
