/* x86_64-version.S: a key record of table version 2 must be refused with
   a clear message (this tool reads version 1), and a site pointing to it
   is not trusted either.
   tool: verify-error "key record of unknown version 2 \(this tool reads version 1\)"
   tool: list "key staticcall_keys\+0x0 unreadable" */
	.text
	.globl	f
	.type	f, @function
f:	ret
	.size	f, .-f
	.section staticcall_keys,"aw",@progbits
	.balign 8
	.long	0x4b435353
	.short	2, 0
	.long	0, 0
	.quad	f, f, 0, 0, 0, 0
	.section .note.GNU-stack,"",@progbits
