/* aarch64-bad.S: records `verify` must reject on aarch64: a site that is
   not bl/b, a misaligned site, a bl flagged TAIL.
   tool: verify-error "caller\+0x4>: not bl, b or nop"
   tool: verify-error "caller\+0xe>: not 4-byte aligned"
   tool: verify-error "caller\+0xe>: not bl, b or nop"
   tool: verify-error "caller\+0x10>: bl but the TAIL flag is set"
   tool: link */

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
1:	blr	x1
	SITE(1b, .Lkey, 0)
	nop
2:	bl	crc_sw
	SITE(2b + 2, .Lkey, 0)
3:	bl	crc_sw
	SITE(3b, .Lkey, 1)
	ldp	x29, x30, [sp], 16
	ret
	.size	caller, .-caller

	.section staticcall_keys,"aw",%progbits
	.balign 8
.Lkey:
	.long	0x4b435353
	.short	1, 0
	.long	.Lname - .
	.long	0
	.quad	crc_sw, crc_sw, 0, 0, 0, 0

	.section .rodata.str1.1,"aMS",%progbits,1
.Lname:
	.string	"crc_sw"
	.section .note.GNU-stack,"",%progbits
