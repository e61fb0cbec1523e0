/* The nx writer makes a window's pages private before its stores
   (runtime/linux/text-private.c): it drops the page-table entries that
   still map the file's pages, never a page already private.  Here a page
   holding a site was made private by someone else first (a write through
   /proc/self/mem, as a debugger's breakpoint or a uprobe): the constant
   another function of that page returns is changed, then the key's first
   update runs with threads calling the site; the change must survive it
   (a dropped private page comes back from the file: the old constant),
   and the update must reach the site.  A second key's site on a page of
   its own, still the file's, checks the other branch: it is retargeted
   and its page named by /proc/self/maps is still the file.  qemu-user
   does not see /proc/self/mem writes, so: natively and in the system
   lane.  */
/* { dg-do run { target x86_64-*-* } } */
/* { dg-staticcall-system "" } */
/* { dg-options "-O2" } */

#include <stdlib.h>
#include "writer-test.h"

int pk (int) __attribute__ ((static_call));
__attribute__ ((noipa)) int pk (int x) { return x + 1; }
__attribute__ ((noipa)) int pk_b (int x) { return x + 2; }
int qk (int) __attribute__ ((static_call));
__attribute__ ((noipa)) int qk (int x) { return x + 10; }
__attribute__ ((noipa)) int qk_b (int x) { return x + 20; }

/* The site of pk and, on its page, the constant tag() returns: one
   function.  */
__attribute__ ((noipa, aligned (65536)))
int use_pk (int x)
{
  if (x < 0)
    return 42;
  return pk (x) * 3;
}

static int
tag (void)
{
  return use_pk (-1);
}

/* qk's site on a page of its own.  */
__attribute__ ((noipa, aligned (65536)))
int use_qk (int x) { return qk (x) * 3; }

static volatile int stop;

static void *
calling (void *arg)
{
  long *n = arg;

  while (!stop)
    {
      int p = use_pk (0), q = use_qk (0);

      if ((p != 3 && p != 6) || (q != 30 && q != 60))
	__atomic_add_fetch (&wrong_calls, 1, __ATOMIC_RELAXED);
      __atomic_add_fetch (n, 1, __ATOMIC_RELAXED);
    }
  return NULL;
}

/* Make tag return 43: the "return 42" instruction of use_pk changed
   through /proc/self/mem (the page becomes private, as gdb makes it).  */
static int
retag (void)
{
  const unsigned char *p = (const unsigned char *) (uintptr_t) use_pk;
  unsigned int i;
  int fd, ok;
#if defined __x86_64__
  static const unsigned char from[] = { 0xb8, 0x2a, 0, 0, 0 };	/* mov $42,%eax */
  static const unsigned char to[] = { 0xb8, 0x2b, 0, 0, 0 };
#elif defined __aarch64__
  static const unsigned char from[] = { 0x40, 0x05, 0x80, 0x52 };	/* mov w0,#42 */
  static const unsigned char to[] = { 0x60, 0x05, 0x80, 0x52 };
#elif defined __powerpc64__
  static const unsigned char from[] = { 0x2a, 0x00, 0x60, 0x38 };	/* li r3,42 */
  static const unsigned char to[] = { 0x2b, 0x00, 0x60, 0x38 };
#endif

  for (i = 0; i < 128; i++)
    if (!memcmp (p + i, from, sizeof from))
      break;
  if (i == 128)
    return -1;
  fd = open ("/proc/self/mem", O_RDWR);
  if (fd < 0)
    return -2;
  ok = pwrite (fd, to, sizeof to, (off_t) (uintptr_t) (p + i)) == sizeof to;
  close (fd);
  __builtin___clear_cache ((char *) p, (char *) p + 192);
  return ok ? 0 : -3;
}

/* @a is in an r-xp mapping of the program's file.  */
static int
maps_names_file (uintptr_t a)
{
  char line[512], exe[256];
  ssize_t n = readlink ("/proc/self/exe", exe, sizeof exe - 1);
  FILE *f = fopen ("/proc/self/maps", "r");
  int ok = 0;

  if (n <= 0 || !f)
    return 0;
  exe[n] = 0;
  while (fgets (line, sizeof line, f))
    {
      unsigned long lo, hi;
      char perms[8], *nl = strchr (line, '\n');

      if (nl)
	*nl = 0;
      if (sscanf (line, "%lx-%lx %7s", &lo, &hi, perms) == 3 && a >= lo
	  && a < hi && !strcmp (perms, "r-xp") && strlen (line) > strlen (exe)
	  && !strcmp (line + strlen (line) - strlen (exe), exe))
	ok = 1;
    }
  fclose (f);
  return ok;
}

int
main (void)
{
  pthread_t th[2];
  long n[2] = { 0, 0 };
  int i, err;

  if (strcmp (staticcall_host_writer (), "nx"))
    {
      printf ("writer %s: this is about nx\n", staticcall_host_writer ());
      return 1;
    }
  if (tag () != 42)
    return 2;
  err = retag ();
  if (err)
    {
      printf ("cannot change tag's constant in place (%d)\n", err);
      return 3;
    }
  if (tag () != 43)
    return 4;
  for (i = 0; i < 2; i++)
    if (pthread_create (&th[i], NULL, calling, &n[i]))
      return 5;
  while (!__atomic_load_n (&n[0], __ATOMIC_RELAXED)
	 || !__atomic_load_n (&n[1], __ATOMIC_RELAXED))
    usleep (1000);
  /* the first update of each key: pk's page private already, qk's not */
  if (staticcall_update (pk, pk_b) || staticcall_update (qk, qk_b))
    return 6;
  if (use_pk (0) != 6 || use_qk (0) != 60)
    return 7;
  if (tag () != 43)
    {
      printf ("the private page was dropped: tag %d\n", tag ());
      return 8;
    }
  if (staticcall_update (pk, pk) || staticcall_update (qk, qk)
      || use_pk (0) != 3 || use_qk (0) != 30 || tag () != 43)
    return 9;
  stop = 1;
  for (i = 0; i < 2; i++)
    pthread_join (th[i], NULL);
  if (wrong_calls)
    return 10;
  if (!maps_names_file ((uintptr_t) use_qk))
    return 11;
  printf ("private: tag %d kept, %ld + %ld calls, 0 wrong\n", tag (), n[0],
	  n[1]);
  return 0;
}
