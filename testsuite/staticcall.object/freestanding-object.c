/* The freestanding object API as a kernel's module loader uses it: no staticcall-object.o, no Linux platform;
   the program gives its own platform hooks and adds/removes its site table and index by section bounds, in its own
   storage (the table itself read-only).  */
/* { dg-staticcall-core "" } */
/* { dg-final { scan-objdump-not "<staticcall_object_register>:" } } */
/* { dg-final { scan-objdump-not "<staticcall_host_init>:" } } */

#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <staticcall.h>
#include <staticcall/abi.h>
#include <staticcall/platform.h>

/* registered here, without staticcall-object.o */
STATICCALL_REGISTERS_ITSELF;

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

extern struct staticcall_site_rec __start_staticcall_sites[] __attribute__ ((visibility ("hidden")));
extern struct staticcall_site_rec __stop_staticcall_sites[] __attribute__ ((visibility ("hidden")));
extern struct staticcall_site_rec __start_staticcall_index[] __attribute__ ((visibility ("hidden")));
extern struct staticcall_site_rec __stop_staticcall_index[] __attribute__ ((visibility ("hidden")));

/* The sites from @start to @stop, their index at the same place in the index section. */
static int
add (struct staticcall_object *o, struct staticcall_site_rec *start, struct staticcall_site_rec *stop)
{
  struct staticcall_tables t = { start, stop, __start_staticcall_index + (start - __start_staticcall_sites),
				 __stop_staticcall_index, NULL, 0, 0, 0 };

  return staticcall_object_add_tables (o, &t);
}

int hook (int) __attribute__ ((static_call));
int hook (int x) { return x + 1; }
int hook_new (int x) { return x + 100; }

__attribute__ ((noinline)) int call_a (int x) { return hook (x) + 0; }
__attribute__ ((noinline)) int call_b (int x) { return hook (x + 1); }

/* The platform a kernel would give: text windows, veneer pages near the text. */
static int opened, closed;

static int
text_open (uintptr_t start, size_t len)
{
  opened++;
  return mprotect ((void *) start, len, PROT_READ | PROT_WRITE | PROT_EXEC) ? -errno : 0;
}

static int
text_close (uintptr_t start, size_t len)
{
  closed++;
  mprotect ((void *) start, len, PROT_READ | PROT_EXEC);
  return 0;
}

static int
veneer_map (uintptr_t lo, uintptr_t hi, uintptr_t reach, size_t size, uintptr_t *addr)
{
  uintptr_t ps = (uintptr_t) sysconf (_SC_PAGESIZE), d;

  (void) lo;
  size = (size + ps - 1) & ~(ps - 1);
  for (d = 1UL << 20; d + size < reach / 2; d <<= 1)
    {
      uintptr_t a = (hi + d + ps - 1) & ~(ps - 1);
      void *p = mmap ((void *) a, size, PROT_READ | PROT_EXEC,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

      if (p == MAP_FAILED)
	continue;
      if ((uintptr_t) p != a)
	{
	  munmap (p, size);
	  continue;
	}
      *addr = a;
      return 0;
    }
  return -ERANGE;
}

static void
veneer_unmap (uintptr_t addr, size_t size)
{
  munmap ((void *) addr, size);
}

/* page_size is set in main: Debian's powerpc64le kernel has 64 KiB pages
   (the system lane's; under qemu-user they are 4 KiB), and a text window
   the platform opens must start on one.  */
static struct staticcall_platform platform = {
  .text_open = text_open,
  .text_close = text_close,
  .veneer_map = veneer_map,
  .veneer_unmap = veneer_unmap,
};

static int logged;
static void log_hook (const char *msg) { (void) msg; logged++; }

/* The program's site table is the "module"; mod2 tries to register part of it again. */
static struct staticcall_object mod1, mod2;

static int
both (int v)
{
  return call_a (1) == v && call_b (0) == v;
}

int
main (void)
{
  struct staticcall_site_rec *start = __start_staticcall_sites, *stop = __stop_staticcall_sites;
  struct staticcall_site_rec *mid = start + (stop - start) / 2;

  platform.page_size = (size_t) sysconf (_SC_PAGESIZE);
  staticcall_set_log (log_hook);
  staticcall_set_platform (&platform);
  if (stop - start < 2)
    return 1;
  /* nothing registered: the sites call the default, the key is unknown
     (logged once, with the likely cause) */
  if (!both (2) || staticcall_update (hook, hook_new) != -ENOENT || logged != 1)
    return 2;
  /* the same storage twice, or a table overlapping a registered one (its
     key records are taken): refused, nothing changed */
  if (add (&mod1, start, stop) != 0
      || add (&mod1, start, stop) != -EBUSY
      || add (&mod2, mid, stop) != -EBUSY || logged != 2)
    return 3;
  if (!both (2) || staticcall_update (hook, hook_new) != 0 || !both (101))
    return 4;
  if (opened == 0 || opened != closed)
    return 5;
  /* the memory holding the target is going away: the key falls back, logged */
  if (staticcall_unload_range ((void *) hook_new, (char *) hook_new + 1) != 1
      || !both (2) || staticcall_query (hook) != hook || logged != 3)
    return 6;
  if (staticcall_update (hook, hook_new) != 0 || !both (101)
      || staticcall_reset (hook) != 0 || !both (2))
    return 7;
  /* the module leaves, its key with it (its code must not run any more:
     its sites may branch into its veneer area, unmapped now) */
  if (staticcall_object_remove (&mod2) != -ENOENT || staticcall_object_remove (&mod1) != 0
      || staticcall_object_remove (&mod1) != -ENOENT
      || staticcall_update (hook, hook_new) != -ENOENT)
    return 8;
  /* registered again (as a module loaded again would be), from mod2's storage */
  if (add (&mod2, start, stop) != 0
      || staticcall_update (hook, hook_new) != 0 || !both (101)
      || staticcall_reset (hook) != 0 || staticcall_object_remove (&mod2) != 0)
    return 9;
  return 0;
}
