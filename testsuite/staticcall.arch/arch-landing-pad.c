/* sc_arch_landing_pad: which first instructions a veneer's indirect branch may land
   on under BTI (br x16: bti c/j/jc, paciasp, pacibsp) or IBT (endbr64); powerpc64 any. */
/* { dg-do run } */
/* { dg-options "-O2 -mbranch-protection=standard" { target aarch64-*-* } } */
/* { dg-options "-O2 -fcf-protection=full" { target x86_64-*-* } } */
/* { dg-options "-O2" { target powerpc64*-*-* } } */
/* { dg-staticcall-noplugin "" } */

#include <stdint.h>
#include <staticcall/arch.h>
#include "../lib/sctest.h"

/* address taken: GCC gives it bti c / endbr64 under the flags above */
__attribute__((noinline)) static int taken(int x) { return x + 1; }
int (*volatile fp)(int) = taken;

static int pad(const void *code)
{
	return sc_arch_landing_pad((uintptr_t)code);
}

int main(void)
{
	CHECK(fp(1) == 2);
#if defined(__aarch64__)
	static const uint32_t yes[] = { 0xd503245f, 0xd503249f, 0xd50324df,
					0xd503233f, 0xd503237f };
	static const uint32_t no[] = { 0xd503201f /* nop */,
				       0xd503241f /* bti: no target */,
				       0xd65f03c0 /* ret */,
				       0x91000400 /* add x0, x0, #1 */ };
	unsigned int i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		CHECK(pad(&yes[i]));
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		CHECK(!pad(&no[i]));
	CHECK(!pad((const char *)&yes[0] + 2));		/* misaligned */
	CHECK(pad((const void *)(uintptr_t)fp));
#elif defined(__x86_64__)
	static const unsigned char endbr64[] = { 0xf3, 0x0f, 0x1e, 0xfa, 0xc3 };
	static const unsigned char endbr32[] = { 0xf3, 0x0f, 0x1e, 0xfb, 0xc3 };
	static const unsigned char plain[] = { 0x8d, 0x47, 0x01, 0xc3, 0xcc };

	CHECK(pad(endbr64));
	CHECK(!pad(endbr32));
	CHECK(!pad(plain));
	CHECK(pad((const void *)(uintptr_t)fp));
#else
	static const uint32_t any[] = { 0x60000000 /* nop */ };

	CHECK(pad(any));
	CHECK(pad((const void *)(uintptr_t)fp));
#endif
	return 0;
}
