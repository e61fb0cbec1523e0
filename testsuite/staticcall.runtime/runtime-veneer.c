/* A target more than 4 GB away from the sites (code mapped far from the
   program's text) is reached through a veneer; a second far target reuses
   it, a near target goes direct again, reset restores the default.
   Why: beyond +-2 GB (x86-64), +-128 MB (arm64), +-32 MB (ppc64) reach.  */
/* { dg-do run } */

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <staticcall.h>

typedef int fn_t(int);

int near_key(int x) __attribute__((static_call));
__attribute__((noipa)) int near_key(int x) { return x + 1; }
__attribute__((noipa)) int near_alt(int x) { return x + 2; }

__attribute__((noipa)) int call_it(int x) { return near_key(x) * 1 + 0 * x; }
__attribute__((noipa)) int tail_it(int x) { return near_key(x); }

/* add10 and add20, position independent, one per CPU */
#if defined(__x86_64__)
static const uint32_t add10[] = { 0xc30a478d };		/* lea 10(%rdi),%eax; ret */
static const uint32_t add20[] = { 0xc314478d };
#elif defined(__aarch64__)
static const uint32_t add10[] = { 0x11002800, 0xd65f03c0 };	/* add w0,w0,#10; ret */
static const uint32_t add20[] = { 0x11005000, 0xd65f03c0 };
#elif defined(__powerpc64__)
static const uint32_t add10[] = { 0x3863000a, 0x4e800020 };	/* addi 3,3,10; blr */
static const uint32_t add20[] = { 0x38630014, 0x4e800020 };
#endif

static unsigned char *map_far(void)
{
	uintptr_t text = (uintptr_t)near_key;
	uintptr_t d;

	for (d = (uintptr_t)16 << 30; d <= (uintptr_t)256 << 30; d <<= 1) {
		uintptr_t cand[2] = { text + d, text - d };
		int i;

		for (i = 0; i < 2; i++) {
			void *p;
			uintptr_t a = cand[i] & ~(uintptr_t)0xffff;
			uintptr_t dist = a > text ? a - text : text - a;

			if ((i == 1 && cand[i] > text) || dist < ((uintptr_t)4 << 30))
				continue;
			p = mmap((void *)a, 65536, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
				 -1, 0);
			if (p == MAP_FAILED)
				continue;
			dist = (uintptr_t)p > text ? (uintptr_t)p - text :
						     text - (uintptr_t)p;
			if (dist >= ((uintptr_t)4 << 30))
				return p;
			munmap(p, 65536);
		}
	}
	return NULL;
}

int main(void)
{
	unsigned char *far = map_far();
	fn_t *f10, *f20;

	if (!far) {
		printf("no far mapping\n");
		return 1;
	}
	memcpy(far, add10, sizeof(add10));
	memcpy(far + 64, add20, sizeof(add20));
	if (mprotect(far, 65536, PROT_READ | PROT_EXEC))
		return 2;
	__builtin___clear_cache((char *)far, (char *)far + 128);
	f10 = (fn_t *)(uintptr_t)far;
	f20 = (fn_t *)(uintptr_t)(far + 64);
	if (f10(1) != 11 || f20(1) != 21)
		return 3;

	if (call_it(1) != 2 || tail_it(1) != 2)
		return 4;
	if (staticcall_update(near_key, f10) != 0)
		return 5;
	if (call_it(1) != 11 || tail_it(1) != 11 || near_key(1) != 11)
		return 6;
	if (staticcall_query(near_key) != f10)
		return 7;
	if (staticcall_update(near_key, f20) != 0)
		return 8;
	if (call_it(1) != 21 || tail_it(1) != 21)
		return 9;
	if (staticcall_update(near_key, near_alt) != 0)
		return 10;
	if (call_it(1) != 3 || tail_it(1) != 3)
		return 11;
	if (staticcall_update(near_key, f10) != 0 || call_it(1) != 11)
		return 12;
	if (staticcall_reset(near_key) != 0 || call_it(1) != 2 || tail_it(1) != 2)
		return 13;
	return 0;
}
