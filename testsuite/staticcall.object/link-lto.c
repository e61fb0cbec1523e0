/* Link mode -flto: the plugin runs at compile and at link (LTRANS) time.
   LTO re-generates code at link time; sites recorded only at compile time would be lost.  */
/* { dg-options "-flto" } */
/* { dg-staticcall-shared "link-mode-lib.c" lmlto } */

#define LINK_MODE_LIB 1
#include "link-mode.h"
