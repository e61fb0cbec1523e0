/* The fallbacks, each said once in the log: where the OS refuses to make
   text executable again (here a seccomp filter refusing mprotect with
   PROT_EXEC, systemd's MemoryDenyWriteExecute=yes) the
   runtime writes through /proc/self/mem, with two threads calling the
   sites; where that is refused too (a filter refusing pwrite64) an update
   fails with -EPERM and changes nothing: text is never made writable and
   executable behind the program's back.  x86-64 only under qemu-user (see
   writer.exp); the system lane runs it elsewhere.  */
/* { dg-do run { target x86_64-*-* } } */
/* { dg-staticcall-system "" } */
/* { dg-options "-O2" } */

#include "writer-test.h"

static int nx_refused, procmem_refused, other_logs;

static void
count_log (const char *msg)
{
  if (strstr (msg, "refuses to make written text executable again"))
    nx_refused++;
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
  int i;

  staticcall_set_log (count_log);
  if (deny_wx_seccomp ())
    return 2;
  if (api_rounds ("mprotect refused", 2000)
      || strcmp (staticcall_host_writer (), "procmem")
      || nx_refused != NX_USABLE)	/* powerpc64 starts on procmem */
    return 3;
  if (staticcall_update (wk, wb) || use_call (0) != 3)
    return 4;
  if (deny (__NR_pwrite64))
    return 5;
  for (i = 0; i < 3; i++)
    if (staticcall_update (wk, wa) != -EPERM || use_call (0) != 3
	|| use_tail (0) != 3 || staticcall_query (wk) != wb)
      return 6;
  if (procmem_refused != 1 || other_logs || maps_rwx () != 0)
    return 7;
  printf ("fallbacks logged: nx %d, procmem %d, others %d\n", nx_refused,
	  procmem_refused, other_logs);
  return 0;
}
