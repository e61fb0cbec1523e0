/* -fplugin-arg-staticcall-unmatched-keys=error makes a keys= name that no function of the unit has an
   error, for builds that want a misspelt key to stop them (issue 27, item 2).  */
/* { dg-do compile } */
/* { dg-options "-O2 -fplugin-arg-staticcall-keys=twic -fplugin-arg-staticcall-unmatched-keys=error" } */
/* { dg-error "'keys=twic': no function of that name in this unit" "" { target *-*-* } 0 } */

int twice (int x) { return 2 * x; }
int use (int x) { return twice (x) + 1; }
