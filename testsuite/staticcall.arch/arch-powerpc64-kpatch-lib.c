/* Shared-library half of arch-powerpc64-kpatch.c: a replacement that uses its
   own TOC, and a site whose key lives here but is retargeted to the program. */
#include <stdint.h>
#include <staticcall.h>

static volatile int lib_bias = 200;

static uintptr_t lib_r2(void)
{
	uintptr_t r2;

	__asm__ volatile("mr %0,2" : "=r"(r2));
	return r2;
}

/* The "fixed" version of the program's static function: x + 200, read
   through this library's TOC. */
__attribute__((noinline)) int lib_fix(int x)
{
	return x + lib_bias;
}

/* A key of this library, default x + 300. */
__attribute__((static_call, noinline)) int lib_key(int x);
__attribute__((noinline)) int lib_key(int x)
{
	return x + lib_bias + 100;
}

/* A site in the library; -1000000 when r2 is not this library's TOC after
   the call (whatever TOC the target used). */
__attribute__((noinline)) int lib_call(int x)
{
	uintptr_t before = lib_r2();
	int r = lib_key(x);

	if (lib_r2() != before)
		return -1000000;
	return r + lib_bias - 200;
}
