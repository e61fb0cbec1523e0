/* Debug information names the real callee of a site, never the synthetic
   one: no "__staticcall_site" in the assembly (its DIEs and strings) under
   -g.  debug.exp also links this program, checks each DW_TAG_call_site's
   DW_AT_call_origin names work/loc/ext with readelf, and (native target)
   runs gdb through a site retargeted to alt: bt and info frame.  */
/* { dg-do compile } */
/* { dg-options "-g -fplugin-arg-staticcall-keys=all" } */

#include <staticcall.h>
#include <stdio.h>

extern int ext (int);
int work (int) __attribute__ ((static_call));
__attribute__ ((noinline)) int work (int x) { return x + 1; }
__attribute__ ((noinline)) int alt (int x) { printf ("alt %d\n", x); return x + 2; }
__attribute__ ((noinline)) static int loc (int x) { return x * 3; }
__attribute__ ((noinline)) int caller (int x) { return work (x) * 2 + loc (x); }
__attribute__ ((noinline)) int ext (int x) { return x - 1; }

int
main (void)
{
  if (staticcall_update (work, alt) != 0)
    return 3;
  return caller (ext (2)) == 9 ? 0 : 1;
}

/* { dg-final { scan-assembler-not {__staticcall_site} } } */
/* { dg-final { scan-assembler {\.string\t"work"|"work\\0"|\.string "work"} } } */
