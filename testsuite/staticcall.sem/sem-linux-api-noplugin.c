/* sem-linux-api.c built without the plugin (gcc alone): every call is an
   indirect call through the name's pointer and each API behaves the same.  */
/* { dg-do run } */
/* { dg-staticcall-noplugin "" } */
/* { dg-additional-sources "sem-linux-api-b.c" } */
#include "sem-linux-api.c"
