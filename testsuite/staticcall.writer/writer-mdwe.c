/* Under MDWE (prctl PR_SET_MDWE, the kernel side of systemd's
   MemoryDenyWriteExecute), set before the first update: every API
   that writes text (update, push, pop, batch, reset) succeeds 10^4 times
   with two threads calling the sites, no call goes anywhere else, with
   each writer that never makes text writable and executable (nx falls
   back to procmem: the OS refuses to make written text executable
   again); the
   mprotect writer is refused cleanly (-EPERM, sites unchanged).
   x86-64 only under qemu-user, which does not run stores made through
   another mapping (doc/runtime.md); aarch64 and powerpc64le run it in
   the system lane, whose Linux 6.1 has no MDWE: exit 77, UNSUPPORTED.  */
/* { dg-do run { target x86_64-*-* } } */
/* { dg-staticcall-system "" } */
/* { dg-options "-O2" } */

#include <stdlib.h>
#include "writer-test.h"

static int mdwe_err;

static void
mdwe_first (void)
{
  if (prctl (PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0))
    mdwe_err = errno;
}

int
main (void)
{
  static const char *const writers[] = { "nx", "procmem" };
  unsigned int i;

  mdwe_first ();
  if (mdwe_err == EINVAL)
    {
      printf ("PR_SET_MDWE needs Linux 6.3 or later (EINVAL here)\n");
      return 77;
    }
  if (mdwe_err)
    {
      printf ("PR_SET_MDWE: errno %d\n", mdwe_err);
      return 2;
    }
  if (strcmp (staticcall_host_writer (), "nx"))
    return 3;
  for (i = 0; i < sizeof (writers) / sizeof (writers[0]); i++)
    if (staticcall_host_writer_set (writers[i]) || api_rounds ("MDWE", 10000)
	|| strcmp (staticcall_host_writer (), "procmem"))
      return 4;
  if (maps_rwx () != 0)
    return 5;
  if (staticcall_host_writer_set ("bogus") != -EINVAL)
    return 6;
  return 0;
}
