/* Link mode -Wl,-z,now -Wl,-z,relro: immediate binding and read-only relocations.
   Key records and site tables are written by the runtime and must not land in RELRO memory.  */
/* { dg-options "-Wl,-z,now -Wl,-z,relro" } */
/* { dg-staticcall-shared "link-mode-lib.c" lmnow-relro } */

#define LINK_MODE_LIB 1
#include "link-mode.h"
