/* staticcall.protect/bti-guard.c as a dg test, so that the system lane
   runs it under Debian's arm64 kernel (qemu-system -cpu max), where the
   kernel and glibc's loader map a BTI-marked object PROT_BTI: a veneer
   to a target without a landing pad in guarded text is refused, and the
   negative control takes SIGILL.  The libraries are linked without the C
   library's start files, whose crti.o carries no note on bookworm and
   would leave the copy unmarked.  Under qemu-user bti.exp runs the same
   program with a check per line.  */
/* { dg-do run { target aarch64-*-* } } */
/* { dg-options "-O2 -mbranch-protection=standard" } */
/* { dg-staticcall-shared "../staticcall.protect/bti-lib.c" btiguarded dlopen "-mbranch-protection=standard -nostartfiles" } */
/* { dg-staticcall-shared "../staticcall.protect/bti-lib.c" btiplain dlopen "-mbranch-protection=none -nostartfiles" } */

#include "../staticcall.protect/bti-guard.c"
