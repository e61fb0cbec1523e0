/*
 * baremetal/x86_64/boot.S - entry of the x86-64 kernel and of its second CPU.
 *
 * qemu-system-x86_64 -kernel loads the flat image (kernel.bin) as a
 * Multiboot (v1) kernel at 1 MB, using the addresses of the header (the
 * "a.out kludge": qemu refuses 64-bit ELF files).  The entry runs in 32-bit
 * protected mode without paging: it identity-maps the first 4 GB with 2 MB
 * pages (the last GB, where the local APIC lives, uncached), enters long
 * mode and calls bm_main.  bm_main replaces the first 2 MB with 4 KB pages
 * so that the kernel's text is read-only (platform.c).
 *
 * The second CPU starts in real mode at 0x8000 (SIPI vector 8) in a copy of
 * the trampoline below, made by bm_start_cpu1: real mode -> protected mode
 * -> long mode with the page tables of CPU 0, then bm_cpu1_entry.
 */
#include "../asm.h"

#define MB_MAGIC	0x1badb002
#define MB_FLAGS	0x00010000	/* addresses in the header */

#define CR0_PE		(1 << 0)
#define CR0_MP		(1 << 1)
#define CR0_EM		(1 << 2)
#define CR0_WP		(1 << 16)
#define CR0_PG		(1 << 31)
#define CR4_PAE		(1 << 5)
#define CR4_OSFXSR	(1 << 9)
#define CR4_OSXMMEXCPT	(1 << 10)
#define MSR_EFER	0xc0000080
#define EFER_LME	(1 << 8)

#define TRAMP_BASE	0x8000
#define T(sym)		(TRAMP_BASE + (sym) - bm_tramp_start)

	.section .multiboot, "a"
	.balign 4
mb_header:
	.long	MB_MAGIC
	.long	MB_FLAGS
	.long	-(MB_MAGIC + MB_FLAGS)
	.long	mb_header		/* header_addr */
	.long	__image_start		/* load_addr */
	.long	__load_end		/* load_end_addr */
	.long	__bss_end		/* bss_end_addr: qemu zeroes the bss */
	.long	_start32		/* entry_addr */

	.section .text.boot, "ax"
	.code32
	.globl	_start32
_start32:
	cli
	movl	$boot_stack_top, %esp

	/* pml4[0] -> pdpt, pdpt[0..3] -> boot_pd[0..3], 2048 PDEs of 2 MB */
	movl	$boot_pdpt + 3, %eax
	movl	%eax, boot_pml4
	movl	$boot_pd + 3, %eax
	movl	$boot_pdpt, %edi
	movl	$4, %ecx
1:	movl	%eax, (%edi)
	addl	$4096, %eax
	addl	$8, %edi
	loop	1b
	movl	$boot_pd, %edi
	xorl	%ebx, %ebx			/* PDE index */
2:	movl	%ebx, %eax
	shll	$21, %eax
	orl	$0x83, %eax			/* present, writable, 2 MB */
	cmpl	$1536, %ebx			/* 3 GB and up: MMIO (local APIC) */
	jb	3f
	orl	$0x18, %eax			/* PWT | PCD: uncached */
3:	movl	%eax, (%edi,%ebx,8)
	incl	%ebx
	cmpl	$2048, %ebx
	jb	2b

	movl	$boot_pml4, %eax
	movl	%eax, %cr3
	movl	%cr4, %eax
	orl	$(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	movl	%eax, %cr4
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr
	movl	%cr0, %eax
	andl	$~CR0_EM, %eax
	orl	$(CR0_PE | CR0_MP | CR0_PG), %eax
	movl	%eax, %cr0
	lgdt	gdt_ptr
	ljmp	$0x18, $start64

	.code64
start64:
	movw	$0x10, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	%ax, %fs
	movw	%ax, %gs
	movq	$boot_stack_top, %rsp
	call	bm_main
4:	hlt
	jmp	4b

/*
 * The trampoline, copied to TRAMP_BASE; its data words (cr3, stack) are
 * filled in the copy by bm_start_cpu1.  Entered with CS = 0x0800, IP = 0.
 */
	.globl	bm_tramp_start, bm_tramp_end, bm_tramp_cr3, bm_tramp_stack
	.balign	16
	.code16
bm_tramp_start:
	cli
	cld
	movw	%cs, %ax
	movw	%ax, %ds
	lgdtl	tramp_gdt_ptr - bm_tramp_start
	movl	%cr0, %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0
	ljmpl	$0x08, $T(tramp32)

	.code32
tramp32:
	movw	$0x10, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movl	%cr4, %eax
	orl	$(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	movl	%eax, %cr4
	movl	T(bm_tramp_cr3), %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	T(bm_tramp_efer), %eax
	wrmsr
	movl	%cr0, %eax
	andl	$~CR0_EM, %eax
	/* WP: this CPU never writes the read-only text either */
	orl	$(CR0_MP | CR0_WP | CR0_PG), %eax
	movl	%eax, %cr0
	ljmp	$0x18, $T(tramp64)

	.code64
tramp64:
	movq	T(bm_tramp_stack), %rsp
	movabsq	$bm_cpu1_entry, %rax
	jmp	*%rax

	.balign	8
tramp_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* 0x08: 32-bit code */
	.quad	0x00cf92000000ffff	/* 0x10: data */
	.quad	0x00af9a000000ffff	/* 0x18: 64-bit code */
tramp_gdt_ptr:
	.word	4 * 8 - 1
	.long	T(tramp_gdt)
	.balign	8
bm_tramp_cr3:	.quad	0
bm_tramp_stack:	.quad	0
	.globl	bm_tramp_efer
bm_tramp_efer:	.long	EFER_LME
bm_tramp_end:

/*
 * Exceptions 0-31: each stub pushes a zero error code where the CPU pushes
 * none, then the vector; trap_common saves the registers and calls
 * bm_trap(frame) (platform.c), which may change the saved rip.
 */
	.text
	.balign	16
	.globl	bm_trap_stubs
bm_trap_stubs:
	.irp	v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.balign	16
	BM_LANDING			/* an interrupt gate lands here */
	.if	(\v == 8) || (\v >= 10 && \v <= 14) || (\v == 17) || (\v == 21) || (\v == 29) || (\v == 30)
	.else
	pushq	$0
	.endif
	pushq	$\v
	jmp	trap_common
	.endr

trap_common:
	.irp	r, rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15
	pushq	%\r
	.endr
	movq	%rsp, %rdi
	cld
	call	bm_trap
	.irp	r, r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax
	popq	%\r
	.endr
	addq	$16, %rsp		/* vector, error code */
	iretq

/*
 * bm_probe_write(addr): store the byte at addr back to itself.  Returns 0
 * when the store happened, 1 when it faulted: bm_trap resumes a page fault
 * at bm_probe_insn at bm_probe_resume.
 */
	.globl	bm_probe_write, bm_probe_insn, bm_probe_resume
bm_probe_write:
	BM_LANDING
	movb	(%rdi), %dl
	xorl	%eax, %eax
bm_probe_insn:
	movb	%dl, (%rdi)
	ret
bm_probe_resume:
	movl	$1, %eax
	ret

	/* CPU 0 loads the same GDT where it was linked */
	.section .rodata
	.balign	8
gdt_ptr:
	.word	4 * 8 - 1
	.quad	tramp_gdt

	.section .bss
	.balign	4096
	.globl	boot_pml4, boot_pdpt, boot_pd
boot_pml4:	.skip	4096
boot_pdpt:	.skip	4096
boot_pd:	.skip	4 * 4096
	.balign	16
	.skip	16384
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
