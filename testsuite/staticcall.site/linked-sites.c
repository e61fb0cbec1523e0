/* After the link, each site of a key defined in another file is a direct call to it (no PLT, no GOT), and it retargets.
   Checks final addresses in objdump -d of the linked program, where the linker, not the compiler, has the last word.  */
/* { dg-additional-sources "linked-sites-key.c" } */
/* { dg-final { scan-objdump-times {\t(?:cs )*call +[0-9a-f]+ <hook>} 2 { target x86_64-*-* } } } */
/* { dg-final { scan-objdump-not {<hook@plt>} { target x86_64-*-* } } } */
/* { dg-final { scan-objdump-times {\tbl\t[0-9a-f]+ <hook>} 2 { target aarch64-*-* } } } */
/* { dg-final { scan-objdump-times {\tbl +[0-9a-f]+ <hook(\+0x8)?>} 2 { target powerpc64le-*-* } } } */

#include <staticcall.h>

int hook (int) __attribute__ ((static_call));
int other (int);

__attribute__ ((noinline)) int one (int x) { return hook (x) * 3; }
__attribute__ ((noinline)) int two (int x) { return hook (x + 1) * 5; }

int
main (void)
{
  if (one (1) != 6 || two (1) != 15)
    return 1;
  if (staticcall_update (hook, other) != 0)
    return 2;
  if (one (1) != -3 || two (1) != -10)
    return 3;
  return 0;
}
