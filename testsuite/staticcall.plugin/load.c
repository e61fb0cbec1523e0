/* The plugin loads in this target's compiler: __STATICCALL__, static_call, a site record.
   Every other test relies on the plugin loading into each of the three compilers.  */
/* { dg-do compile } */

#ifndef __STATICCALL__
#error "__STATICCALL__ is not defined: the plugin did not load"
#endif

int hook (int) __attribute__ ((static_call));

int
use (int x)
{
  return hook (x) + 1;
}

/* { dg-final { scan-assembler "staticcall_sites" } } */
/* { dg-final { scan-assembler "staticcall_keys" } } */
