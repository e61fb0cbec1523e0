/* aarch64-good.S: bl and b sites and a key laid out as abi.h says;
   `verify` must accept them, `list` must decode bl/b.
   tool: verify-ok
   tool: link
   tool: list "key .* name crc_sw flags void ident crc_sw default crc_sw"
   tool: list "site .* in caller\+0x4 key crc_sw flags - insn [0-9a-f]{6}94 bl crc_sw"
   tool: list "site .* in caller\+0xc key crc_sw flags tail insn [0-9a-f]{6}14 b crc_sw"
   tool: list-count "^site " 2
   tool: link-list "site .* in caller\+0x4 key crc_sw flags - insn [0-9a-f]{6}9[4-7] bl crc_sw@plt" */

#define SITE(lab, key, flags)					\
	.pushsection staticcall_sites,"awR",%progbits;		\
	.balign 8;						\
99:	.long lab - 99b;					\
	.long key - 99b + (flags);				\
	.popsection

	.text
	.globl	crc_sw
	.type	crc_sw, %function
	.p2align 2
crc_sw:
	ret
	.size	crc_sw, .-crc_sw

	.globl	caller
	.type	caller, %function
	.p2align 2
caller:
	stp	x29, x30, [sp, -16]!
1:	bl	crc_sw
	SITE(1b, __staticcall_key.crc_sw, 0)
	ldp	x29, x30, [sp], 16
2:	b	crc_sw
	SITE(2b, __staticcall_key.crc_sw, 1)
	.size	caller, .-caller

	.section staticcall_keys,"awG",%progbits,__staticcall_key.crc_sw,comdat
	.balign 8
	.globl	__staticcall_key.crc_sw
	.hidden	__staticcall_key.crc_sw
__staticcall_key.crc_sw:
	.long	0x4b435353
	.short	1, 2
	.long	.Lname - .
	.long	0
	.quad	crc_sw, crc_sw, 0, 0, 0, 0

	.section .rodata.str1.1,"aMS",%progbits,1
.Lname:
	.string	"crc_sw"
	.section .note.GNU-stack,"",%progbits
