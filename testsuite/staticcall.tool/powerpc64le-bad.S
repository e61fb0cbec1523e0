/* powerpc64le-bad.S: records `verify` must reject on powerpc64: bl
   without nop or TOC restore after it, a tail site, a non-branch.
   tool: verify-error "caller\+0x[0-9a-f]+>: bl not followed by nop or ld r2,24\(r1\)"
   tool: verify-error "caller\+0x[0-9a-f]+>: tail site on powerpc64"
   tool: verify-error "caller\+0x[0-9a-f]+>: not bl; nop or bl; ld r2,24\(r1\)"
   tool: link */

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
	mflr	0
	std	0, 16(1)
	stdu	1, -32(1)
1:	bl	crc_sw
	addi	3, 3, 1
	SITE(1b, .Lkey, 0)
	addi	1, 1, 32
	ld	0, 16(1)
	mtlr	0
2:	b	crc_sw
	SITE(2b, .Lkey, 1)
3:	blr
	SITE(3b, .Lkey, 0)
	.size	caller, .-caller

	.section staticcall_keys,"aw",@progbits
	.balign 8
.Lkey:
	.long	0x4b435353
	.short	1, 0
	.long	.Lname - .
	.long	0
	.quad	crc_sw, crc_sw, 0, 0, 0, 0

	.section .rodata.str1.1,"aMS",@progbits,1
.Lname:
	.string	"crc_sw"
	.section .note.GNU-stack,"",@progbits
