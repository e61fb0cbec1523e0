/* Copies of one public key (a weak definition and a key record in every unit and library) are one key:
   an update from the program or from a library retargets the sites of every copy, and reset restores them.  */
/* { dg-additional-sources "comdat-key-2.c" } */
/* { dg-staticcall-shared "comdat-key-a.c" cka } */
/* { dg-staticcall-shared "comdat-key-b.c" ckb } */

#include <staticcall.h>
#include "comdat-key.h"

int ck_new (int x) { return x + 100; }
int unit2_call (int), a_call (int), b_call (int), a_update (void);

__attribute__ ((noinline)) int unit1_call (int x) { return ck (x); }

static int
all (int v)
{
  return unit1_call (1) == v && unit2_call (1) == v && a_call (1) == v && b_call (1) == v;
}

int
main (void)
{
  if (!all (2))
    return 1;
  if (staticcall_update (ck, ck_new) != 0 || !all (101))
    return 2;
  if (a_update () != 0 || !all (501) || staticcall_query (ck) == (void *) ck_new)
    return 3;
  if (staticcall_reset (ck) != 0 || !all (2) || staticcall_query (ck) != ck)
    return 4;
  return 0;
}
