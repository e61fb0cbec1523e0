/* The procmem writer when the kernel refuses a pwrite to /proc/self/mem
   after the window opened (a seccomp filter refusing the write at one
   site's word: the window's own first write, at its page, passes): the
   update fails with that error, not 0; the key keeps its target; every
   site holds the bytes it held before (the other site's word, written
   first, is put back); nothing is writable and executable; two threads
   calling the sites all along see only the old or the new target; and
   the next update, through another writer, finds the sites consistent.
   Then the first write itself refused: the same.  Where no seccomp
   filter can be installed (qemu-user) the runtime's hidden fault hook
   refuses the same writes; there the sites are called only after a
   writer whose stores qemu sees.  */
/* { dg-options "-O2" } */

#include <stdlib.h>
#include <staticcall/abi.h>
#include "writer-test.h"

extern struct staticcall_site_rec __start_staticcall_sites[]
  __attribute__ ((weak, visibility ("hidden")));
extern struct staticcall_site_rec __stop_staticcall_sites[]
  __attribute__ ((weak, visibility ("hidden")));
/* runtime/linux/text-procmem.c (libstaticcall.a) */
extern int (*sc_procmem_fault) (uintptr_t addr);

#if defined __x86_64__
#define UNIT 8
#else
#define UNIT 4
#endif

static int put_back, other_logs;

static void
count_log (const char *msg)
{
  printf ("log: %s\n", msg);
  if (strstr (msg, "put back"))
    put_back++;
  else if (!strstr (msg, "did not reach the text")
	   && !strstr (msg, "/proc/self/mem"))
    other_logs++;
}

/* The refused words: by a seccomp filter, or by the fault hook.  */
static uintptr_t refused[2];
static unsigned int nrefused;
static int by_hook;

static int
fault (uintptr_t addr)
{
  unsigned int i;

  for (i = 0; i < nrefused; i++)
    if (addr == refused[i])
      return -EPERM;
  return 0;
}

/* pwrite64 at offset @word -> EPERM (every target is little-endian) */
static int
refuse (uintptr_t word)
{
  struct sock_filter f[] = {
    BPF_STMT (BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, nr)),
    BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, __NR_pwrite64, 0, 5),
    BPF_STMT (BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, args[3])),
    BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, (uint32_t) word, 0, 3),
    BPF_STMT (BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, args[3]) + 4),
    BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, (uint32_t) ((uint64_t) word >> 32), 0, 1),
    BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
    BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = { sizeof (f) / sizeof (f[0]), f };

  refused[nrefused++] = word;
  if (!by_hook && (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
		   || prctl (PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)))
    {
      /* qemu-user refuses guest seccomp filters */
      if (errno != EINVAL || nrefused != 1)
	return -1;
      by_hook = 1;
    }
  if (by_hook)
    sc_procmem_fault = fault;
  return 0;
}

static uintptr_t sites[16];
static unsigned char saved[16][UNIT * 2];
static unsigned int nsites;

/* 1 when every site holds the bytes saved (its words).  */
static int
sites_kept (void)
{
  unsigned int i;

  for (i = 0; i < nsites; i++)
    if (memcmp (saved[i], (const void *) (sites[i] & ~(uintptr_t) (UNIT - 1)),
		2 * UNIT))
      {
	printf ("site %p changed\n", (void *) sites[i]);
	return 0;
      }
  return 1;
}

int
main (void)
{
  struct staticcall_site_rec *r;
  const char *board = getenv ("STATICCALL_WRITER");	/* set under qemu-user */
  int native = !board, i, err1, err2;
  uintptr_t lo, hi, page = (uintptr_t) sysconf (_SC_PAGESIZE);
  const char *after = native || sctest_emulated () && !board ? "nx" : board;

  staticcall_set_log (count_log);
  for (r = __start_staticcall_sites; r < __stop_staticcall_sites && nsites < 16; r++)
    if (staticcall_site_key (r)->ident == (uintptr_t) wk
	&& !staticcall_site_is_definition (r))
      sites[nsites++] = staticcall_site_addr (r);
  CHECK (nsites >= 2);
  lo = hi = sites[0];
  for (i = 1; i < (int) nsites; i++)
    {
      lo = sites[i] < lo ? sites[i] : lo;
      hi = sites[i] > hi ? sites[i] : hi;
    }
  lo &= ~(uintptr_t) (UNIT - 1);
  hi &= ~(uintptr_t) (UNIT - 1);
  CHECK (lo != hi);

  CHECK (staticcall_host_writer_set ("procmem") == 0);
  CHECK (staticcall_update (wk, wa) == 0);
  if (native)
    CHECK (use_call (0) == 2 && use_tail (0) == 2);
  for (i = 0; i < (int) nsites; i++)
    memcpy (saved[i], (const void *) (sites[i] & ~(uintptr_t) (UNIT - 1)), 2 * UNIT);

  /* the last site's word refused: the first one's is written, put back */
  CHECK (refuse (hi) == 0);
  if (native)
    CHECK (start_callers () == 0);
  err1 = staticcall_update (wk, wb);
  CHECK (err1 == -EPERM && staticcall_query (wk) == wa && sites_kept ());
  CHECK (put_back == 1 && maps_rwx () == 0);
  /* and the first write refused: nothing written */
  CHECK (refuse (lo) == 0);
  err2 = staticcall_update (wk, wb);
  CHECK (err2 == -EPERM && staticcall_query (wk) == wa && sites_kept ());
  CHECK (put_back == 2 && maps_rwx () == 0);
  if (native)
    {
      stop_all_callers ();
      CHECK (use_call (0) == 2 && use_tail (0) == 2);
      printf ("%ld thread calls, %ld wrong\n", thread_calls, wrong_calls);
      CHECK (wrong_calls == 0);
    }

  /* the sites are what the runtime wrote for wa: another writer goes on */
  CHECK (staticcall_host_writer_set (after) == 0);
  CHECK (staticcall_update (wk, wb) == 0);
  CHECK (use_call (0) == 3 && use_tail (0) == 3);
  CHECK (staticcall_reset (wk) == 0 && use_call (0) == 1 && use_tail (0) == 1);
  CHECK (other_logs == 0 && maps_rwx () == 0);
  printf ("refused by %s at %p (page %p) then %p: %d, %d; writer %s after\n",
	  by_hook ? "the fault hook" : "seccomp", (void *) hi,
	  (void *) (hi & ~(page - 1)), (void *) lo, err1, err2, after);
  return 0;
}
