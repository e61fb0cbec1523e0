/* writer-test.h - shared by the staticcall.writer tests: a key with call
   and tail sites, threads calling them, one round of every API that
   writes text, /proc/self/maps scans and a W^X seccomp filter.  */
#ifndef WRITER_TEST_H
#define WRITER_TEST_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <staticcall.h>
#include <staticcall/writer.h>
#include "../lib/sctest.h"

#ifndef PR_SET_MDWE
#define PR_SET_MDWE 65
#endif
#ifndef PR_MDWE_REFUSE_EXEC_GAIN
#define PR_MDWE_REFUSE_EXEC_GAIN 1
#endif

int wk (int) __attribute__ ((static_call));
__attribute__ ((noipa)) int wk (int x) { return x + 1; }
__attribute__ ((noipa)) int wa (int x) { return x + 2; }
__attribute__ ((noipa)) int wb (int x) { return x + 3; }
__attribute__ ((noipa)) int wc (int x) { return x + 4; }
__attribute__ ((noipa)) int use_call (int x) { return wk (x) * 1; }
__attribute__ ((noipa)) int use_tail (int x) { return wk (x); }

static volatile int stop_callers;
static long wrong_calls, thread_calls;

/* 1..4: a call reached one of the key's targets.  */
static int
valid (int r)
{
  return r >= 1 && r <= 4;
}

static void *
caller (void *arg)
{
  (void) arg;
  while (!stop_callers)
    {
      if (!valid (use_call (0)) || !valid (use_tail (0)))
	__atomic_add_fetch (&wrong_calls, 1, __ATOMIC_RELAXED);
      __atomic_add_fetch (&thread_calls, 1, __ATOMIC_RELAXED);
    }
  return NULL;
}

static pthread_t callers[2];

static int
start_callers (void)
{
  int i;

  stop_callers = 0;
  for (i = 0; i < 2; i++)
    if (pthread_create (&callers[i], NULL, caller, NULL))
      return -1;
  while (!__atomic_load_n (&thread_calls, __ATOMIC_RELAXED))
    ;
  return 0;
}

static void
stop_all_callers (void)
{
  int i;

  stop_callers = 1;
  for (i = 0; i < 2; i++)
    pthread_join (callers[i], NULL);
}

/* The target the updating thread must see after each step.  */
static int
check (int want, long *wrong)
{
  if (use_call (0) != want || use_tail (0) != want)
    ++*wrong;
  return 0;
}

/* One of five API calls that write text, by @i; failures and calls that
   went to another target than the API just set are counted.  */
static void
one_api (long i, long *fails, long *wrong)
{
  static struct staticcall_patch p;
  struct staticcall_retarget v[1] = { STATICCALL_RETARGET (wk, wb) };

  switch (i % 5)
    {
    case 0:
      *fails += staticcall_update (wk, wa) != 0;
      check (2, wrong);
      break;
    case 1:
      *fails += staticcall_push (&p, wk, wc) != 0;
      check (4, wrong);
      break;
    case 2:
      *fails += staticcall_pop (&p) != 0;
      check (2, wrong);
      break;
    case 3:
      *fails += staticcall_update_batch (v, 1) != 0;
      check (3, wrong);
      break;
    default:
      *fails += staticcall_reset (wk) != 0;
      check (1, wrong);
      break;
    }
}

/* @n API calls with the callers running; 0 when all succeeded and right.  */
__attribute__ ((unused)) static int
api_rounds (const char *what, long n)
{
  long i, fails = 0, wrong = 0;
  double t0;

  n = sctest_rounds (n);
  wrong_calls = thread_calls = 0;
  if (start_callers ())
    return -1;
  /* N rounds (a tenth under an emulator), or 3 s once a tenth of
     that is done: a slow or busy machine does less, it does not fail.
     It stops after a whole cycle of the five calls: never between a
     push and its pop (the next api_rounds would push the patch again:
     -ENOENT, as seen on a loaded machine) */
  if (sctest_emulated ())
    n /= 10;
  /* whole cycles only (20 rounds emulated were 2: a push left behind) */
  n = (n + 4) / 5 * 5;
  for (i = 0, t0 = sctest_seconds (); i < n; i++)
    {
      if (i % 5 == 0 && i >= n / 10 && !sctest_soak ()
	  && sctest_seconds () - t0 > 3.0)
	break;
      one_api (i, &fails, &wrong);
    }
  n = i;
  stop_all_callers ();
  staticcall_reset (wk);
  printf ("%s: writer %s, %ld API calls, %ld failed, %ld wrong after return, "
	  "%ld wrong in %ld thread calls\n", what, staticcall_host_writer (),
	  n, fails, wrong, wrong_calls, thread_calls);
  return fails || wrong || wrong_calls ? -1 : 0;
}

/* Mappings of this process that are writable and executable at once.  */
static int
maps_rwx (void)
{
  static char buf[65536];
  int fd = open ("/proc/self/maps", O_RDONLY), n = 0;
  size_t have = 0;
  ssize_t r;
  char *p;

  if (fd < 0)
    return -1;
  while (have < sizeof (buf) - 1
	 && (r = read (fd, buf + have, sizeof (buf) - 1 - have)) > 0)
    have += (size_t) r;
  close (fd);
  buf[have] = 0;
  for (p = buf; (p = strchr (p, ' ')); p++)
    {
      if (p[1] == 'r' && p[2] == 'w' && p[3] == 'x')
	n++;
      p = strchr (p, '\n');
      if (!p)
	break;
    }
  return n;
}

/* mprotect/pkey_mprotect/mmap with PROT_WRITE|PROT_EXEC -> EPERM, and
   mprotect adding PROT_EXEC at all (systemd's MemoryDenyWriteExecute).  */
__attribute__ ((unused)) static int
deny_wx_seccomp (void)
{
  struct sock_filter f[] = {
    BPF_STMT (BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, nr)),
    BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, __NR_mprotect, 3, 0),
    BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, __NR_pkey_mprotect, 2, 0),
    BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, __NR_mmap, 3, 0),
    BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    /* mprotect: any PROT_EXEC */
    BPF_STMT (BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, args[2])),
    BPF_JUMP (BPF_JMP | BPF_JSET | BPF_K, PROT_EXEC, 4, 3),
    /* mmap: PROT_WRITE and PROT_EXEC */
    BPF_STMT (BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, args[2])),
    BPF_JUMP (BPF_JMP | BPF_JSET | BPF_K, PROT_WRITE, 0, 1),
    BPF_JUMP (BPF_JMP | BPF_JSET | BPF_K, PROT_EXEC, 1, 0),
    BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
  };
  struct sock_fprog prog = { sizeof (f) / sizeof (f[0]), f };

  if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
    return -1;
  return prctl (PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

#endif
