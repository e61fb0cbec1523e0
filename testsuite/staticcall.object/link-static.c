/* Link mode -static: the sites of a static program (no dynamic linker) register from its constructor, and update.
   Static executables have no ld.so to run init code in a special order; the table must still be found.  */
/* { dg-options "-static" } */
#include "link-mode.h"
