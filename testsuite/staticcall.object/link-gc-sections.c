/* Link mode -ffunction-sections -fdata-sections -Wl,--gc-sections: the site table survives section GC.
   Nothing references staticcall_sites: without SHF_GNU_RETAIN the linker would drop it.  */
/* { dg-options "-ffunction-sections -fdata-sections -Wl,--gc-sections" } */
/* { dg-staticcall-shared "link-mode-lib.c" lmgc-sections } */

#define LINK_MODE_LIB 1
#include "link-mode.h"
