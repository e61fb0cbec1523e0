/* Shared-library half of arch-powerpc64-toc.c: a target with its own TOC,
   and a library site bound to a library function (same TOC as the site:
   a direct bl) or to a program function (another TOC: a stub). */
#include <stdint.h>
#include <staticcall.h>
#include <staticcall/abi.h>

extern struct staticcall_site_rec __start_staticcall_sites[]
	__attribute__((weak, visibility("hidden")));
extern struct staticcall_site_rec __stop_staticcall_sites[]
	__attribute__((weak, visibility("hidden")));

/* This library's site table, for the program to read its sites. */
void toc_lib_sites(struct staticcall_site_rec **start,
		   struct staticcall_site_rec **stop)
{
	*start = __start_staticcall_sites;
	*stop = __stop_staticcall_sites;
}

static volatile int lib_bias = 2000;

static uintptr_t lib_r2(void)
{
	uintptr_t r2;

	__asm__ volatile("mr %0,2" : "=r"(r2));
	return r2;
}

/* Another TOC: x + 2000 read through this library's TOC. */
__attribute__((noinline)) int toc_lib_far(int x)
{
	return x + lib_bias;
}

/* A key of this library, default x + 3000. */
__attribute__((static_call, noinline)) int toc_lib_key(int x);
__attribute__((noinline)) int toc_lib_key(int x)
{
	return x + lib_bias + 1000;
}

/* Same TOC as the library's site: x + 4000. */
__attribute__((noinline)) int toc_lib_near(int x)
{
	return x + lib_bias + 2000;
}

/* The library's site; -1000000 when r2 is not the library's TOC after. */
__attribute__((noinline)) int toc_lib_call(int x)
{
	uintptr_t before = lib_r2();
	int r = toc_lib_key(x);

	if (lib_r2() != before)
		return -1000000;
	return r + lib_bias - 2000;
}
