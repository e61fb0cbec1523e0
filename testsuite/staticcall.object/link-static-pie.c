/* Link mode -static-pie: a static program that relocates itself registers and updates its sites.
   Key records hold absolute addresses: they must be relocated (by the program itself) before registration.  */
/* Debian's powerpc64le glibc has no rcrt1.o (no static-pie there).  */
/* { dg-do run { target x86_64-*-* aarch64-*-* } } */
/* { dg-options "-static-pie" } */
#include "link-mode.h"
