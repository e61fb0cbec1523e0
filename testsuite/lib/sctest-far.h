/*
 * sctest-far.h - code out of every CPU's direct reach, for the tests of
 * veneers (runtime-veneer.c, runtime-skip.c, veneer-share.c).
 *
 *   sctest_far_targets(near, n, &f10, &f20)
 *	maps 64 KiB at least 4 GB from each of the @n addresses @near
 *	(+-2 GB is x86-64's reach, +-128 MB arm64's, +-32 MB powerpc64's)
 *	and puts two position-independent functions there: f10(x) = x + 10
 *	and f20(x) = x + 20.  0, or -1 when no such mapping was found.
 */
#ifndef SCTEST_FAR_H
#define SCTEST_FAR_H

#define _GNU_SOURCE
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

typedef int sctest_fn (int);

#if defined(__x86_64__)
static const uint32_t sctest_add10[] = { 0xc30a478d };	/* lea 10(%rdi),%eax; ret */
static const uint32_t sctest_add20[] = { 0xc314478d };
#elif defined(__aarch64__)
static const uint32_t sctest_add10[] = { 0x11002800, 0xd65f03c0 };	/* add w0,w0,#10; ret */
static const uint32_t sctest_add20[] = { 0x11005000, 0xd65f03c0 };
#elif defined(__powerpc64__)
static const uint32_t sctest_add10[] = { 0x3863000a, 0x4e800020 };	/* addi 3,3,10; blr */
static const uint32_t sctest_add20[] = { 0x38630014, 0x4e800020 };
#endif

#define SCTEST_FAR	((uintptr_t) 4 << 30)

static uintptr_t
sctest_dist (uintptr_t a, uintptr_t b)
{
  return a > b ? a - b : b - a;
}

static int
sctest_far_from (uintptr_t p, const uintptr_t *near, unsigned int n)
{
  unsigned int i;

  for (i = 0; i < n; i++)
    if (sctest_dist (p, near[i]) < SCTEST_FAR)
      return 0;
  return 1;
}

static __attribute__ ((unused)) int
sctest_far_targets (const uintptr_t *near, unsigned int n,
		    sctest_fn **f10, sctest_fn **f20)
{
  unsigned int j;
  uintptr_t d;
  int i;

  /* 16 GB, 32 GB, ... above and below each address in turn */
  for (j = 0; j < n; j++)
    for (d = (uintptr_t) 16 << 30; d <= (uintptr_t) 256 << 30; d <<= 1)
      for (i = 0; i < 2; i++)
	{
	  uintptr_t a = (i ? near[j] - d : near[j] + d) & ~(uintptr_t) 0xffff;
	  unsigned char *p;

	  if ((i && a > near[j]) || (!i && a < near[j])
	      || !sctest_far_from (a, near, n))
	    continue;
	  p = (unsigned char *) mmap ((void *) a, 65536, PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS
				      | MAP_FIXED_NOREPLACE, -1, 0);
	  if (p == MAP_FAILED)
	    continue;
	  /* a kernel without MAP_FIXED_NOREPLACE takes it as a hint */
	  if (!sctest_far_from ((uintptr_t) p, near, n))
	    {
	      munmap (p, 65536);
	      continue;
	    }
	  memcpy (p, sctest_add10, sizeof (sctest_add10));
	  memcpy (p + 64, sctest_add20, sizeof (sctest_add20));
	  if (mprotect (p, 65536, PROT_READ | PROT_EXEC))
	    return -1;
	  __builtin___clear_cache ((char *) p, (char *) p + 128);
	  *f10 = (sctest_fn *) (uintptr_t) p;
	  *f20 = (sctest_fn *) (uintptr_t) (p + 64);
	  return 0;
	}
  return -1;
}

#endif
