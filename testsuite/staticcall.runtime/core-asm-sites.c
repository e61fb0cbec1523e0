/* Runtime core on hand-laid x86-64 sites (abi.h records, no plugin needed):
   registration, update, query, reset, pointer key, tail site, unaligned site.
   Why: proves the runtime alone, independent of what the plugin emits.  */
/* { dg-do run { target x86_64-*-* } } */
/* { dg-staticcall-noplugin "" } */

#include <errno.h>
#include <stdio.h>
#include <staticcall.h>
#include <staticcall/abi.h>
#include "../lib/sctest.h"

int fa(int x);
int fb(int x);
int fc(int x);
int (*fp)(int) = fa;

__attribute__((noipa)) int fa(int x) { return x + 1; }
__attribute__((noipa)) int fb(int x) { return x + 2; }
__attribute__((noipa)) int fc(int x) { return x + 3; }

int site_call(int x);		/* calls fa, aligned          */
int site_tail(int x);		/* jumps to fa, aligned       */
int site_unaligned(int x);	/* calls fa, crosses a word   */
int site_fp(int x);		/* calls fp's target, aligned */

#define KEY(name, label, ident, flags)				\
	"	.section staticcall_keys,\"aw\"\n"		\
	"	.balign 8\n"					\
	label ":\n"						\
	"	.long 0x4b435353\n"				\
	"	.short 1, " #flags "\n"				\
	"	.long " label "_name - .\n"			\
	"	.long 0\n"					\
	"	.quad " ident "\n"				\
	"	.quad fa\n"					\
	"	.quad 0, 0, 0, 0\n"				\
	"	.section .rodata\n"				\
	label "_name: .asciz \"" name "\"\n"

#define SITE(label, key, flags)					\
	STATICCALL_SITES_SECTION_ASM "\n"				\
	STATICCALL_SITE_REC_ASM(label, key, #flags)			\
	"	.popsection\n"						\
	STATICCALL_INDEX_SLOT_ASM("", "%")

__asm__(
	"	.text\n"
	"	.p2align 4\n"
	"site_call:\n"
	"	sub $8, %rsp\n"
	"	.p2align 3\n"
	"1:	.byte 0xe8\n	.long fa - . - 4\n"
	"	add $8, %rsp\n"
	"	ret\n"
	"	.p2align 4\n"
	"site_tail:\n"
	"	.p2align 3\n"
	"2:	.byte 0xe9\n	.long fa - . - 4\n"
	"	.p2align 4\n"
	"site_unaligned:\n"
	"	sub $8, %rsp\n"
	"	.p2align 3\n"
	"	.byte 0x90, 0x90, 0x90, 0x90, 0x90, 0x90\n"
	"3:	.byte 0xe8\n	.long fa - . - 4\n"
	"	add $8, %rsp\n"
	"	ret\n"
	"	.p2align 4\n"
	"site_fp:\n"
	"	sub $8, %rsp\n"
	"	.p2align 3\n"
	"4:	.byte 0xe8\n	.long fa - . - 4\n"
	"	add $8, %rsp\n"
	"	ret\n"
	KEY("fa", "key_fa", "fa", 0)
	KEY("fp", "key_fp", "fp", 1)
	SITE("1b", "key_fa", 4)
	SITE("2b", "key_fa", 5)
	SITE("3b", "key_fa", 0)
	SITE("4b", "key_fp", 4)
	"	.text\n");

static int fails;


static void all_are(int delta, int line)
{
	if (site_call(10) != 10 + delta || site_tail(10) != 10 + delta ||
	    site_unaligned(10) != 10 + delta) {
		printf("FAIL line %d: want +%d, got %d %d %d\n", line, delta,
		       site_call(10) - 10, site_tail(10) - 10,
		       site_unaligned(10) - 10);
		fails++;
	}
}

int main(void)
{
	int i;

	all_are(1, __LINE__);
	EXPECT(staticcall_query(fa) == fa, fails);
	EXPECT(staticcall_update(fa, fb) == 0, fails);
	all_are(2, __LINE__);
	EXPECT(staticcall_query(fa) == fb, fails);
	for (i = 0; i < 1000; i++) {
		EXPECT(staticcall_update(fa, (i & 1) ? fb : fc) == 0, fails);
		all_are((i & 1) ? 2 : 3, __LINE__);
		if (fails)
			break;
	}
	EXPECT(staticcall_reset(fa) == 0, fails);
	all_are(1, __LINE__);
	EXPECT(staticcall_query(fa) == fa, fails);

	/* pointer key: the variable follows the sites */
	EXPECT(site_fp(1) == 2, fails);
	EXPECT(staticcall_update(fp, fc) == 0, fails);
	EXPECT(site_fp(1) == 4, fails);
	EXPECT(fp == fc, fails);
	EXPECT(staticcall_query(fp) == fc, fails);
	EXPECT(staticcall_reset(fp) == 0, fails);
	EXPECT(site_fp(1) == 2 && fp == fa, fails);

	/* a key nobody registered */
	EXPECT(staticcall_update(fc, fb) == -ENOENT, fails);
	EXPECT(staticcall_query(fc) == fc, fails);
	return fails != 0;
}
