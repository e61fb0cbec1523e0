/* Under a seccomp filter that refuses mmap(PROT_WRITE|PROT_EXEC) and
   any mprotect(PROT_EXEC) (what systemd's MemoryDenyWriteExecute=yes
   installs), set before the first update: every API that writes text
   succeeds 10^4 times with two threads calling the sites, no call goes
   anywhere else, with each writer that never makes text writable and
   executable (nx falls back to procmem: the OS refuses to make written
   text executable again).
   x86-64 only under qemu-user, which does not run stores made through
   another mapping (doc/runtime.md); the system lane runs it elsewhere.  */
/* { dg-do run { target x86_64-*-* } } */
/* { dg-staticcall-system "" } */
/* { dg-options "-O2" } */

#include <stdlib.h>
#include "writer-test.h"

static int seccomp_err;

static void
seccomp_first (void)
{
  if (deny_wx_seccomp ())
    seccomp_err = errno;
}

int
main (void)
{
  static const char *const writers[] = { "nx", "procmem" };
  unsigned int i;

  seccomp_first ();
  if (seccomp_err)
    {
      printf ("seccomp: errno %d\n", seccomp_err);
      return 2;
    }
  /* the filter works: an RWX page is refused */
  if (mmap (NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) != MAP_FAILED || errno != EPERM)
    return 7;
  if (strcmp (staticcall_host_writer (), DEFAULT_WRITER))
    return 3;
  if (!NX_USABLE)
    printf ("seccomp: nx left out (not this CPU's default: the manual, Limits)\n");
  for (i = NX_USABLE ? 0 : 1; i < sizeof (writers) / sizeof (writers[0]); i++)
    if (staticcall_host_writer_set (writers[i]) || api_rounds ("seccomp", 10000)
	|| strcmp (staticcall_host_writer (), "procmem"))
      return 4;
  if (maps_rwx () != 0)
    return 5;
  if (staticcall_host_writer_set ("bogus") != -EINVAL)
    return 6;
  return 0;
}
