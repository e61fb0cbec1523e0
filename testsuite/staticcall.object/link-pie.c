/* Link mode -fpie -pie: a position-independent program and a library: every site retargets, both ways.
   PIE programs load far from libraries (veneers on x86-64) and relocate their key records.  */
/* { dg-options "-fpie -pie" } */
/* { dg-staticcall-shared "link-mode-lib.c" lmpie } */

#define LINK_MODE_LIB 1
#include "link-mode.h"
