/* Link mode -fno-pie -no-pie: a fixed-address program and a library: every site retargets.
   Non-PIE code calls the key through absolute/PLT forms the plugin must still record.  */
/* { dg-options "-fno-pie -no-pie" } */
/* { dg-staticcall-shared "link-mode-lib.c" lmnopie } */

#define LINK_MODE_LIB 1
#include "link-mode.h"
