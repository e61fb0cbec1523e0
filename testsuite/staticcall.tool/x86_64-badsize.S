/* x86_64-badsize.S: a staticcall_sites section of 12 bytes (not a multiple
   of the 8-byte record) must be a clear error (exit 2), never a guess.
   tool: load-error "staticcall_sites: size 12 is not a multiple of the record size 8" */
	.text
1:	call	f@PLT
	.section staticcall_sites,"aw",@progbits
	.balign 8
	.long	1b - .
	.long	0
	.long	0
	.section .note.GNU-stack,"",@progbits
