/* Kernel mode (-fplugin-arg-staticcall-linux, doc "Building Linux"):
   keys=all leaves callees declared inline or defined in the unit to GCC.
   An inline helper is still inlined into its caller (an inline helper
   calling an __init function from an __init caller, or from a noinstr or
   user-access region, is only valid inlined: modpost and objtool reject
   the out-of-line call a site keeps); an empty function defined here is
   still found const and its call deleted, with the reference to a symbol
   the kernel does not link (apply_retpolines (__retpoline_sites, ...)
   without CONFIG_RETPOLINE).  Calls to other functions stay sites.
   The records go to .discard.* sections (the kernel's linker scripts
   discard them; any other section would be an orphan), with no index,
   no staticcall_prepared and no reference to a registration object.
   At -O2 always, as the kernel is built.  */
/* { dg-do compile } */
/* { dg-options "-O2 -fplugin-arg-staticcall-keys=all -fplugin-arg-staticcall-linux" } */

extern int init_only (int);
extern int ordinary (int);
extern int not_linked[];

static inline int helper (int x) { return init_only (x) + 1; }

__attribute__ ((noinline)) void apply (int *p) { (void) p; }

static __attribute__ ((noinline)) int local (int x) { return x * 3; }

__attribute__ ((section (".init.text"))) int
setup (int x)
{
  apply (not_linked);
  return helper (x) + ordinary (x) + local (x);
}

/* { dg-final { scan-assembler-not {__staticcall_key\.(helper|apply|local)} } } */
/* { dg-final { scan-assembler {\t\.long __staticcall_key\.ordinary - } } } */
/* { dg-final { scan-assembler-times {\t\.pushsection \.discard\.staticcall_sites,"a\?",%progbits\n} 2 } } */
/* { dg-final { scan-assembler {\t\.pushsection \.discard\.staticcall_keys,"awG",%progbits,__staticcall_key\.ordinary,comdat\n} } } */
/* { dg-final { scan-assembler {\t\.section \.discard\.staticcall_names,} } } */
/* { dg-final { scan-assembler-not {[^.]staticcall_(sites|keys|index|prepared)|rodata\.staticcall|registration} } } */
/* { dg-final { scan-assembler {\t\.long __staticcall_key\.init_only - } } } */
/* A reference, not the variable's name in the debug information
   (.string "not_linked", under -g: scripts/check --hardened).  */
/* { dg-final { scan-assembler-not {[^"]not_linked} } } */
