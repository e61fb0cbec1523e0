/* powerpc64le-good.S: `bl; nop` and `bl; ld r2,24(r1)` sites (ELFv2) and a
   key laid out as abi.h says; `verify` must accept them.
   tool: verify-ok
   tool: link
   tool: list "key .* name crc_sw flags - ident crc_sw default crc_sw"
   tool: list "site .* in caller\+0x[0-9a-f]+ key crc_sw flags - insn [0-9a-f]{8}00000060 bl; nop crc_sw"
   tool: list "site .* in caller\+0x[0-9a-f]+ key crc_sw flags - insn [0-9a-f]{8}180041e8 bl; ld r2,24\(r1\) crc_sw"
   tool: list-count "^site " 2
   In the .so the bl goes to the linker's PLT call stub (ld names it).
   tool: link-list "site .* in caller\+0x[0-9a-f]+ key crc_sw flags - insn [0-9a-f]{8}180041e8 bl; ld r2,24\(r1\) [0-9a-f]+\.plt_call\.crc_sw" */

#define SITE(lab, key, flags)					\
	.pushsection staticcall_sites,"awR",@progbits;		\
	.balign 8;						\
99:	.long lab - 99b;					\
	.long key - 99b + (flags);				\
	.popsection

	.abiversion 2
	.text
	.globl	crc_sw
	.type	crc_sw, @function
crc_sw:
	li	3, 0
	blr
	.size	crc_sw, .-crc_sw

	.globl	caller
	.type	caller, @function
caller:
0:	addis	2, 12, .TOC.-0b@ha
	addi	2, 2, .TOC.-0b@l
	.localentry caller, .-caller
	mflr	0
	std	0, 16(1)
	stdu	1, -32(1)
1:	bl	crc_sw
	nop
	SITE(1b, __staticcall_key.crc_sw, 0)
2:	bl	crc_sw
	ld	2, 24(1)
	SITE(2b, __staticcall_key.crc_sw, 0)
	addi	1, 1, 32
	ld	0, 16(1)
	mtlr	0
	blr
	.size	caller, .-caller

	.section staticcall_keys,"awG",@progbits,__staticcall_key.crc_sw,comdat
	.balign 8
	.globl	__staticcall_key.crc_sw
	.hidden	__staticcall_key.crc_sw
__staticcall_key.crc_sw:
	.long	0x4b435353
	.short	1, 0
	.long	.Lname - .
	.long	0
	.quad	crc_sw, crc_sw, 0, 0, 0, 0

	.section .rodata.str1.1,"aMS",@progbits,1
.Lname:
	.string	"crc_sw"
	.section .note.GNU-stack,"",@progbits
