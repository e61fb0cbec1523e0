/* Updating a key with a function of another type is a compile error at the call, with a
   diagnostic there that names both types, not a static assertion in the header naming neither
   (issue 27, item 5).  */
/* { dg-do compile } */
#include <staticcall.h>

int work (int) __attribute__ ((static_call));
long work_long (int);
int work_int (int);

int
pick (int wide)
{
  if (wide)
    return staticcall_update (work, work_long); /* { dg-warning "initialization of 'int \\(\\*\\)\\(int\\)' from incompatible pointer type 'long int \\(\\*\\)\\(int\\)'" } */
/* { dg-error "'_Generic' selector of type 'long int \\(\\*\\)\\(int\\)' is not compatible" "" { target *-*-* } 15 } */
  return staticcall_update (work, work_int);
}

int
stack (struct staticcall_patch *p)
{
  return staticcall_push (p, work, work_long); /* { dg-warning "from incompatible pointer type 'long int \\(\\*\\)\\(int\\)'" } */
/* { dg-error "'_Generic' selector of type 'long int \\(\\*\\)\\(int\\)' is not compatible" "" { target *-*-* } 23 } */
}
