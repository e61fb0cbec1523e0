/* The plugin loads in this target's compiler and is active: it predefines
   __STATICCALL__, accepts static_call and records the site.  Everything else
   relies on the plugin loading into each of the three compilers.  */
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
