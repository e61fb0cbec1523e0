/* A keys= name declared in the unit but never called (a header's function) is no warning: only a
   name no function of the unit has is (diag-keys-unmatched.c), so one flag can serve every unit.  */
/* { dg-do compile } */
/* { dg-options "-O2 -fplugin-arg-staticcall-keys=helper,twice" } */
/* { dg-bogus "keys=" "" { target *-*-* } 0 } */

int helper (int);
static int twice (int x) { return 2 * x; }
int use (int x) { return twice (x) + 1; }
