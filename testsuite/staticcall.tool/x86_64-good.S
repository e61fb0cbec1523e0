/* x86_64-good.S: sites and keys laid out exactly as abi.h says (aligned
   call, aligned tail jmp, a pointer key); `verify` must accept them.
   tool: verify-ok
   tool: link
   tool: list "key .* name crc_sw flags - ident crc_sw default crc_sw"
   tool: list "key .* name hook_ptr flags fnptr ident hook_ptr default hook_impl"
   tool: list "site .* in caller\+0x[0-9a-f]+ key crc_sw flags aligned insn e8[0-9a-f]{8} call crc_sw"
   tool: list "site .* in caller\+0x[0-9a-f]+ key crc_sw flags tail,aligned insn e9[0-9a-f]{8} jmp crc_sw"
   tool: list "site .* in caller\+0x[0-9a-f]+ key hook_ptr flags aligned insn e8[0-9a-f]{8} call hook_impl"
   tool: list-count "^site " 3
   tool: json "\"insn\": \"jmp\""
   tool: link-list "site .* in caller\+0x[0-9a-f]+ key crc_sw flags tail,aligned insn e9[0-9a-f]{8} jmp crc_sw@plt" */

/* One site: label, the call, and its record (flags in the key field). */
#define SITE(insn, fn, key, flags)				\
	.p2align 3,,4;						\
98:	insn fn@PLT;						\
	.pushsection staticcall_sites,"awR",@progbits;		\
	.balign 8;						\
99:	.long 98b - 99b;					\
	.long key - 99b + (flags);				\
	.popsection

#define KEY(sym, namelab, flags, ident, deflt)			\
	.long 0x4b435353;					\
	.short 1;						\
	.short flags;						\
	.long namelab - .;					\
	.long 0;						\
	.quad ident;						\
	.quad deflt;						\
	.quad 0, 0, 0, 0

	.text
	.globl	crc_sw
	.type	crc_sw, @function
crc_sw:
	xorl	%eax, %eax
	ret
	.size	crc_sw, .-crc_sw

	.globl	hook_impl
	.type	hook_impl, @function
hook_impl:
	ret
	.size	hook_impl, .-hook_impl

	.globl	caller
	.type	caller, @function
	.p2align 4
caller:
	pushq	%rbx
	SITE(call, crc_sw, __staticcall_key.crc_sw, 4)
	movl	%eax, %ebx
	SITE(call, hook_impl, .Lkey_hook, 4)
	popq	%rbx
	SITE(jmp, crc_sw, __staticcall_key.crc_sw, 5)
	.size	caller, .-caller

	.section staticcall_keys,"awG",@progbits,__staticcall_key.crc_sw,comdat
	.balign 8
	.globl	__staticcall_key.crc_sw
	.hidden	__staticcall_key.crc_sw
__staticcall_key.crc_sw:
	KEY(__staticcall_key.crc_sw, .Lname_crc, 0, crc_sw, crc_sw)

	.section staticcall_keys,"aw",@progbits
	.balign 8
.Lkey_hook:
	KEY(.Lkey_hook, .Lname_hook, 1, hook_ptr, hook_impl)

	.data
	.balign 8
	.globl	hook_ptr
hook_ptr:
	.quad	hook_impl

	.section .rodata.str1.1,"aMS",@progbits,1
.Lname_crc:
	.string	"crc_sw"
.Lname_hook:
	.string	"hook_ptr"
	.section .note.GNU-stack,"",@progbits
