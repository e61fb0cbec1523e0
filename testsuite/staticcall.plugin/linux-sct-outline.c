/* Kernel mode in a kernel without inline static calls (no
   CONFIG_HAVE_STATIC_CALL_INLINE: the calls go through the trampoline
   only, nothing reads .static_call_sites): no record.  */
/* { dg-do compile } */
/* { dg-options "-O2 -fplugin-arg-staticcall-linux" } */
#include "linux-sct.h"

int foo_func (int);
DECLARE_STATIC_CALL(foo, foo_func);

int f (int x) { return static_call (foo) (x) + 1; }

/* { dg-final { scan-assembler {__SCT__foo} } } */
/* { dg-final { scan-assembler-not {static_call_sites} } } */
