/*
 * demo-lib.c - libdemo-lib.so, which demo.c dlopens: a shared library with
 * its own sites of work(), a key the program defines.  Built with the
 * plugin and staticcall-object.o, whose constructor registers these sites
 * (and patches them to work()'s current target) before this library's own
 * constructor runs, so even that first call goes to the current target.
 */
#include <staticcall.h>
#include <staticcall/abi.h>

long work(long x) __attribute__((static_call));

long ctor_result;

long lib_work(long x)
{
	return work(x);
}

__attribute__((constructor)) void lib_init(void)
{
	ctor_result = work(0);
}

/* This library's site table, for the program to show. */
extern struct staticcall_site_rec __start_staticcall_sites[]
	__attribute__((visibility("hidden")));
extern struct staticcall_site_rec __stop_staticcall_sites[]
	__attribute__((visibility("hidden")));

void lib_sites(const struct staticcall_site_rec **start,
	       const struct staticcall_site_rec **stop)
{
	*start = __start_staticcall_sites;
	*stop = __stop_staticcall_sites;
}
