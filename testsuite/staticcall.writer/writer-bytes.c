/* The default writer, on every target: after each update the bytes at
   every site of the key (read at the executing address) branch to the new
   target, directly or through a veneer whose target word is it; going
   back gives the same bytes again; the text is still the program's own
   file mapping, r-x (what perf and gdb read), and nothing is writable and
   executable.  Under qemu-user the boards force the mprotect writer
   (qemu runs its old translation of text changed by the kernel,
   doc/runtime.md), so the sites are called only natively.  */
/* { dg-options "-O2" } */

#include <stdlib.h>
#include <staticcall/abi.h>
#include "writer-test.h"

extern struct staticcall_site_rec __start_staticcall_sites[]
  __attribute__ ((weak, visibility ("hidden")));
extern struct staticcall_site_rec __stop_staticcall_sites[]
  __attribute__ ((weak, visibility ("hidden")));

#if defined __x86_64__
#define VENEER 16
#elif defined __aarch64__
#define VENEER 16
#else
#define VENEER 40
#endif

/* Where the branch at @site goes.  */
static uintptr_t
branch_dest (uintptr_t site)
{
  const unsigned char *p = (const unsigned char *) site;
#if defined __x86_64__
  int32_t rel;

  if (p[0] != 0xe8 && p[0] != 0xe9)
    return 0;
  memcpy (&rel, p + 1, 4);
  return site + 5 + (intptr_t) rel;
#elif defined __aarch64__
  uint32_t i;

  memcpy (&i, p, 4);
  if ((i & 0x7c000000) != 0x14000000)
    return 0;
  return site + (uintptr_t) ((intptr_t) ((int32_t) (i << 6) >> 6) * 4);
#else
  uint32_t i;

  memcpy (&i, p, 4);
  if ((i & 0xfc000003) != 0x48000001)
    return 0;
  return site + (uintptr_t) (intptr_t) ((int32_t) ((i & 0x03fffffc) << 6) >> 6);
#endif
}

/* Does a branch to @dest reach @fn (its global or local entry, or a veneer
   holding it)?  */
static int
reaches (uintptr_t dest, int (*fn) (int))
{
  uintptr_t f = (uintptr_t) fn, w;

  if (dest == f || dest == f + 8)
    return 1;
  memcpy (&w, (const void *) (dest + VENEER - 8), sizeof (w));
  return w == f;
}

static uintptr_t sites[16];
static unsigned int nsites;

static int
all_reach (int (*fn) (int), unsigned char saved[][8], int save)
{
  unsigned int i;

  for (i = 0; i < nsites; i++)
    {
      if (!reaches (branch_dest (sites[i]), fn))
	{
	  printf ("site %p does not reach %p\n", (void *) sites[i], (void *) fn);
	  return 0;
	}
      if (save)
	memcpy (saved[i], (const void *) sites[i], 8);
      else if (saved && memcmp (saved[i], (const void *) sites[i], 4))
	return 0;
    }
  return 1;
}

/* Is every site in a private r-x mapping of this program's file?  */
static int
file_mapped (void)
{
  char line[512], exe[256];
  ssize_t n = readlink ("/proc/self/exe", exe, sizeof exe - 1);
  unsigned int i, ok = 0;

  if (n <= 0)
    return 0;
  exe[n] = 0;
  for (i = 0; i < nsites; i++)
    {
      FILE *f = fopen ("/proc/self/maps", "r");

      while (f && fgets (line, sizeof line, f))
	{
	  unsigned long lo, hi;
	  char perms[8], *nl = strchr (line, '\n');

	  if (nl)
	    *nl = 0;
	  if (sscanf (line, "%lx-%lx %7s", &lo, &hi, perms) == 3
	      && sites[i] >= lo && sites[i] < hi && !strcmp (perms, "r-xp")
	      && strlen (line) > strlen (exe)
	      && !strcmp (line + strlen (line) - strlen (exe), exe))
	    ok++;
	}
      if (f)
	fclose (f);
    }
  if (ok != nsites)
    printf ("%u of %u sites in r-xp mappings of %s\n", ok, nsites, exe);
  return ok == nsites;
}

int
main (void)
{
  static unsigned char at_a[16][8], orig[16][8];
  struct staticcall_site_rec *r;
  int native = !getenv ("STATICCALL_WRITER");	/* set under qemu-user */
  int round;

  for (r = __start_staticcall_sites; r < __stop_staticcall_sites && nsites < 16; r++)
    if (staticcall_site_key (r)->ident == (uintptr_t) wk && !staticcall_site_is_definition (r))
      sites[nsites++] = staticcall_site_addr (r);
  if (nsites < 2)
    return 1;
  for (round = 0; round < nsites; round++)
    memcpy (orig[round], (const void *) sites[round], 8);
  if (native && strcmp (staticcall_host_writer (), DEFAULT_WRITER))
    return 2;
  for (round = 0; round < 100; round++)
    {
      if (staticcall_update (wk, wa) || !all_reach (wa, at_a, round == 0))
	return 3;
      if (native && (use_call (0) != 2 || use_tail (0) != 2))
	return 4;
      if (staticcall_update (wk, wb) || !all_reach (wb, NULL, 0))
	return 5;
      if (native && (use_call (0) != 3 || use_tail (0) != 3))
	return 6;
    }
  if (staticcall_update (wk, wa) || !all_reach (wa, at_a, 0))
    return 7;
  if (staticcall_reset (wk))
    return 8;
  for (round = 0; round < nsites; round++)
    if (memcmp (orig[round], (const void *) sites[round], 4))
      return 9;
  if (!file_mapped () || maps_rwx () != 0)
    return 10;
  printf ("%u sites, writer %s, bytes right after 201 updates%s\n", nsites,
	  staticcall_host_writer (), native ? ", calls right" : "");
  return 0;
}
