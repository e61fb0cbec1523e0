/* A keys= name that no function of the unit has is a warning naming it: a misspelt key (twic for twice)
   would otherwise compile, exit 0 and make no site (issue 27, item 2).  */
/* { dg-do compile } */
/* { dg-options "-O2 -fplugin-arg-staticcall-keys=twic,twice" } */
/* { dg-warning "'keys=twic': no function of that name in this unit" "" { target *-*-* } 0 } */
/* { dg-bogus "'keys=twice'" "" { target *-*-* } 0 } */

int twice (int x) { return 2 * x; }
int use (int x) { return twice (x) + 1; }
