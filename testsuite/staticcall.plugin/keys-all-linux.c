/* Kernel mode (-fplugin-arg-staticcall-linux, doc "Building Linux"):
   keys=all leaves callees declared inline to GCC, so a kernel's inline
   helper is still inlined into its caller (an inline helper calling an
   __init function from an __init caller, or from a noinstr or
   user-access region, is only valid inlined: modpost and objtool reject
   the out-of-line call a site keeps).  Other callees stay sites.  */
/* { dg-do compile } */
/* { dg-options "-fplugin-arg-staticcall-keys=all -fplugin-arg-staticcall-linux" } */

extern int init_only (int);
extern int ordinary (int);

static inline int helper (int x) { return init_only (x) + 1; }

__attribute__ ((section (".init.text"))) int
setup (int x)
{
  return helper (x) + ordinary (x);
}

/* { dg-final { scan-assembler-not {__staticcall_key\.helper} } } */
/* { dg-final { scan-assembler {\t\.long __staticcall_key\.ordinary - } } } */
/* { dg-final { scan-assembler {\t\.long __staticcall_key\.init_only - } } } */
