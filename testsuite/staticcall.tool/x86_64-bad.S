/* x86_64-bad.S: one record per kind of mistake `verify` must report
   (one line each, exit status 1), and nothing else.
   tool: verify-error "caller\+0x6>: flagged ALIGNED but crosses an 8-byte word \(offset 6"
   tool: verify-error "call but the TAIL flag is set"
   tool: verify-error "jmp but the TAIL flag is clear"
   tool: verify-error "not a 5-byte call, jmp or nop"
   tool: verify-error "listed more than once"
   tool: verify-error "in non-executable section .data"
   tool: verify-error "key field does not point to a key record"
   tool: verify-error "function key whose default (dynamic:)?other is not its ident (dynamic:)?crc_sw"
   tool: verify-error "key record has bad magic 0x12345678"
   tool: link
   tool: list "site .* in caller\+0x6 key crc_sw flags aligned insn e8"  */

#define REC(lab, key, flags)					\
	.pushsection staticcall_sites,"awR",@progbits;		\
	.balign 8;						\
99:	.long lab - 99b;					\
	.long key - 99b + (flags);				\
	.popsection

	.text
	.globl	crc_sw
	.type	crc_sw, @function
crc_sw:
	ret
	.size	crc_sw, .-crc_sw
	.globl	other
	.type	other, @function
other:
	ret
	.size	other, .-other

	.globl	caller
	.type	caller, @function
	.p2align 4
caller:
	.byte	0x90, 0x90, 0x90, 0x90, 0x90, 0x90
1:	call	crc_sw@PLT	/* at offset 6 of its word */
	REC(1b, .Lkey, 4)
	.p2align 3
2:	call	crc_sw@PLT
	REC(2b, .Lkey, 5)
	.p2align 3
3:	jmp	crc_sw@PLT
	REC(3b, .Lkey, 4)
4:	nop
	nop
	nop
	nop
	nop
	REC(4b, .Lkey, 0)
	.p2align 3
5:	call	crc_sw@PLT
	REC(5b, .Lkey, 4)
	REC(5b, .Lkey, 4)
	.p2align 3
6:	call	crc_sw@PLT
	REC(6b, .Lkey + 8, 4)
	ret
	.size	caller, .-caller

	.data
7:	.byte	0xe8, 0, 0, 0, 0, 0, 0, 0
	REC(7b, .Lkey, 0)

	.section staticcall_keys,"aw",@progbits
	.balign 8
.Lkey:
	.long 0x4b435353
	.short 1, 0
	.long .Lname - .
	.long 0
	.quad crc_sw, other, 0, 0, 0, 0
	.long 0x12345678
	.short 1, 0
	.long .Lname - .
	.long 0
	.quad crc_sw, crc_sw, 0, 0, 0, 0

	.section .rodata.str1.1,"aMS",@progbits,1
.Lname:
	.string	"crc_sw"
	.section .note.GNU-stack,"",@progbits
