/* Every site record of the linked program points at a call of the form
   abi.h promises (x86-64 e8/e9 inside one 8-byte word; aarch64 bl/b;
   powerpc64le bl + nop or ld r2,24(r1)) and at a valid key record.
   Checked on final addresses at run time, at each -O level.  */
/* { dg-do run } */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "staticcall/abi.h"

extern const struct staticcall_site_rec __start_staticcall_sites[]
	__attribute__((weak, visibility("hidden")));
extern const struct staticcall_site_rec __stop_staticcall_sites[]
	__attribute__((weak, visibility("hidden")));

int k0(int) __attribute__((static_call));
void k1(int *) __attribute__((static_call));
static int k2(int, int, int, int, int, int, int, int, int, int)
	__attribute__((static_call));
static int dflt(int x) { return x * 7; }
static int (*fp)(int) __attribute__((static_call)) = dflt;

int k0(int x) { return x + 1; }
void k1(int *p) { *p += 2; }
static int k2(int a, int b, int c, int d, int e, int f, int g, int h, int i,
	      int j) { return a + b + c + d + e + f + g + h + i + j; }

__attribute__((noinline)) int tail(int x) { return k0(x * 3); }
__attribute__((noinline)) int body(int x)
{
	int v = x;

	k1(&v);
	for (int i = 0; i < 3; i++)
		v += k2(v, i, 3, 4, 5, 6, 7, 8, 9, 10) + fp(i);
	return v + k0(v);
}

static int bad(const char *what, uintptr_t site)
{
	printf("site %#lx: %s\n", (unsigned long)site, what);
	return 1;
}

static int check_form(uintptr_t site, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)site;
	uint32_t insn, next;

	memcpy(&insn, p, 4);
	memcpy(&next, p + 4, 4);
#if defined(__x86_64__)
	if (p[0] != 0xe8 && p[0] != 0xe9)
		return bad("not a call/jmp rel32", site);
	if ((p[0] == 0xe9) != !!(flags & STATICCALL_SITE_TAIL))
		return bad("tail flag does not match the opcode", site);
	if (!(flags & STATICCALL_SITE_ALIGNED) || (site & 7) > 3)
		return bad("not inside one 8-byte word", site);
#elif defined(__aarch64__)
	if ((insn & 0xfc000000) != 0x94000000 &&
	    (insn & 0xfc000000) != 0x14000000)
		return bad("not a bl/b", site);
	if (((insn & 0xfc000000) == 0x14000000) != !!(flags & STATICCALL_SITE_TAIL))
		return bad("tail flag does not match the opcode", site);
#elif defined(__powerpc64__)
	if ((insn & 0xfc000003) != 0x48000001)
		return bad("not a bl", site);
	if (next != 0x60000000 && next != 0xe8410018)
		return bad("bl not followed by nop or ld r2,24(r1)", site);
	if (flags & STATICCALL_SITE_TAIL)
		return bad("tail site on powerpc64", site);
#endif
	return 0;
}

static int check_key(uintptr_t site, const struct staticcall_key_rec *key)
{
	if ((uintptr_t)key & 7)
		return bad("key record not 8-byte aligned", site);
	if (key->magic != STATICCALL_KEY_MAGIC ||
	    key->version != STATICCALL_ABI_VERSION)
		return bad("bad key magic or version", site);
	if (!key->ident || !key->deflt || !staticcall_key_name(key)[0])
		return bad("key without ident, default or name", site);
	return 0;
}

int main(void)
{
	const struct staticcall_site_rec *r;
	int n = 0, errors = 0;

	if (tail(1) != 4 || body(2) != 857)
		return bad("wrong results", 0) + 1;
	for (r = __start_staticcall_sites; r < __stop_staticcall_sites; r++) {
		uintptr_t site = staticcall_site_addr(r);

		if (staticcall_site_is_definition(r))
			continue;	/* the unit defines the key: no site */
		errors += check_form(site, staticcall_site_flags(r));
		errors += check_key(site, staticcall_site_key(r));
		n++;
	}
	if (n < 5)
		return bad("too few sites recorded", (uintptr_t)n);
	return errors != 0;
}
