/* A library dlopen'ed after an update has its sites on the current target before dlopen returns (its own
   constructor sees it), and dlclose unregisters its sites and unmaps its veneer area, load after load.  */
/* { dg-options "-rdynamic" } */
/* { dg-staticcall-shared "dlopen-update-lib.c" dlu dlopen } */

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <staticcall.h>

int hook (int) __attribute__ ((static_call));
int hook (int x) { return x + 1; }
int hook_new (int x) { return x + 100; }
int hook_other (int x) { return x + 1000; }

__attribute__ ((noinline)) int main_call (int x) { return hook (x); }

/* Anonymous executable mappings: where the runtime's veneer areas live
   (once written through the alias writer, a memfd copy named "anon").  */
static int
anon_exec_maps (void)
{
  char line[512];
  int n = 0;
  FILE *f = fopen ("/proc/self/maps", "r");

  if (!f)
    return -1;
  while (fgets (line, sizeof line, f))
    {
      char perms[8];
      unsigned long inode;
      int len = 0;

      if (sscanf (line, "%*x-%*x %7s %*x %*x:%*x %lu %n", perms, &inode, &len) < 2)
	continue;
      if (perms[2] == 'x' && inode == 0 && (line[len] == '\n' || line[len] == 0))
	n++;
      else if (perms[2] == 'x' && !strncmp (line + len, "/memfd:staticcall:anon ", 23))
	n++;
    }
  fclose (f);
  return n;
}

/* Does a site at @site need a veneer to reach hook_new? */
static int
needs_veneer (uintptr_t site)
{
  uintptr_t t = (uintptr_t) hook_new, d = site > t ? site - t : t - site;

#if defined __x86_64__
  return d >= (1UL << 31) - 4096;
#elif defined __aarch64__
  return d >= (1UL << 27) - 4096;
#else
  (void) d;
  return 1;
#endif
}

int
main (void)
{
  int round, n0;

  /* A hole below the program's mappings, so that under qemu-user (where a
     library lands right below the program) the library loads far away. */
  mmap (NULL, 1UL << 29, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

  if (staticcall_update (hook, hook_new) != 0 || main_call (1) != 101)
    return 1;
  n0 = anon_exec_maps ();
  for (round = 0; round < 3; round++)
    {
      void *h = dlopen ("libdlu.so", RTLD_NOW);
      int *ctor_result;
      int (*lib_call) (int);

      if (!h)
	{
	  printf ("dlopen: %s\n", dlerror ());
	  return 2;
	}
      ctor_result = (int *) dlsym (h, "ctor_result");
      lib_call = (int (*) (int)) dlsym (h, "lib_call");
      if (!ctor_result || !lib_call)
	return 3;
      if (*ctor_result != 101)
	{
	  printf ("round %d: the library's constructor got %d\n", round, *ctor_result);
	  return 4;
	}
      if (lib_call (1) != 101)
	return 5;
      if (staticcall_update (hook, hook_other) != 0
	  || lib_call (1) != 1001 || main_call (1) != 1001)
	return 6;
      if (staticcall_update (hook, hook_new) != 0 || lib_call (1) != 101)
	return 7;
      printf ("round %d: %d anonymous executable mappings loaded, %d before, veneer %s\n",
	      round, anon_exec_maps (), n0,
	      needs_veneer ((uintptr_t) lib_call) ? "needed" : "not needed");
      /* a library out of direct reach of the target, or (powerpc64) whose
	 sites all call through stubs, has a veneer area to free */
      if (needs_veneer ((uintptr_t) lib_call) && anon_exec_maps () <= n0)
	return 11;
      if (dlclose (h) != 0)
	return 8;
      if (anon_exec_maps () != n0)
	{
	  printf ("round %d: %d anonymous executable mappings after dlclose, %d before dlopen\n",
		  round, anon_exec_maps (), n0);
	  return 9;
	}
      /* the closed library's sites are gone: updating must not touch them */
      if (staticcall_update (hook, hook_other) != 0 || main_call (1) != 1001
	  || staticcall_update (hook, hook_new) != 0 || main_call (1) != 101)
	return 10;
    }
  return 0;
}
