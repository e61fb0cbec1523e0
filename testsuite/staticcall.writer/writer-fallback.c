/* The fallbacks, each said once in the log: where the OS refuses an
   executable memfd (here a seccomp filter refusing memfd_create) the
   runtime writes through /proc/self/mem, and where that is refused too
   (a filter refusing pwrite64) through the mprotect window; every update
   succeeds with two threads calling the sites.  Under qemu-user
   x86-64 only (see writer.exp); the system lane runs it elsewhere.  */
/* { dg-do run { target x86_64-*-* } } */
/* { dg-staticcall-system "" } */
/* { dg-options "-O2" } */

#include "writer-test.h"

static int alias_refused, procmem_refused, other_logs;

static void
count_log (const char *msg)
{
  if (strstr (msg, "refuses an executable memfd alias"))
    alias_refused++;
  else if (strstr (msg, "/proc/self/mem refuses"))
    procmem_refused++;
  else
    other_logs++;
}

/* syscall @nr -> EPERM */
static int
deny (int nr)
{
  struct sock_filter f[] = {
    BPF_STMT (BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, nr)),
    BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, (unsigned int) nr, 0, 1),
    BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
    BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = { sizeof (f) / sizeof (f[0]), f };

  if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
    return -1;
  return prctl (PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

int
main (void)
{
  staticcall_set_log (count_log);
  if (deny (__NR_memfd_create))
    return 2;
  if (api_rounds ("memfd refused", 2000) || strcmp (staticcall_linux_writer (), "procmem")
      || alias_refused != 1)
    return 3;
  if (deny (__NR_pwrite64))
    return 4;
  if (api_rounds ("pwrite refused", 2000) || strcmp (staticcall_linux_writer (), "mprotect")
      || procmem_refused != 1 || other_logs)
    return 5;
  printf ("fallbacks logged: alias %d, procmem %d, others %d\n", alias_refused,
	  procmem_refused, other_logs);
  return 0;
}
