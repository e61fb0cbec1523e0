/*
 * baremetal/aarch64/boot.S - entry of the arm64 kernel and of its second
 * CPU, exception vectors, MMU switch-on.
 *
 * qemu-system-aarch64 -M virt -kernel loads the ELF at its addresses and
 * starts CPU 0 at _start in EL1 with the MMU off; CPU 1 stays powered off
 * until PSCI CPU_ON (platform.c) starts it at bm_cpu1_start with x0 = the
 * address of its boot block { sp, ttbr0, tcr, mair, sctlr }.
 *
 * Branch protection (../asm.h): the functions C calls start with
 * BM_LANDING; the entries, the vectors and the code they branch to are
 * reached by no branch that BTI checks (an exception, a reset, B/BL).
 */
#include "../asm.h"

#define CPACR_FPEN	(3 << 20)	/* FP/SIMD at EL1: the core may use it */

	.section .text.boot, "ax"
	.globl	_start
_start:
	adrp	x0, boot_stack_top
	add	x0, x0, :lo12:boot_stack_top
	mov	sp, x0
	mov	x0, #CPACR_FPEN
	msr	cpacr_el1, x0
	adr	x0, bm_vectors
	msr	vbar_el1, x0
	isb
	/* the loader zeroes nothing it does not load: clear the bss */
	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __bss_end
	add	x1, x1, :lo12:__bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:	bl	bm_main
3:	wfe
	b	3b

	.globl	bm_cpu1_start
bm_cpu1_start:
	ldp	x1, x2, [x0]		/* sp, ttbr0 */
	ldp	x3, x4, [x0, #16]	/* tcr, mair */
	ldr	x5, [x0, #32]		/* sctlr */
	mov	sp, x1
	mov	x6, #CPACR_FPEN
	msr	cpacr_el1, x6
	adr	x6, bm_vectors
	msr	vbar_el1, x6
	mov	x0, x2
	mov	x1, x3
	mov	x2, x4
	mov	x3, x5
	bl	bm_mmu_on
	bl	bm_cpu1_entry
4:	wfe
	b	4b

/* bm_mmu_on(ttbr0, tcr, mair, sctlr): the same tables on both CPUs. */
	.globl	bm_mmu_on
bm_mmu_on:
	BM_LANDING
	msr	mair_el1, x2
	msr	tcr_el1, x1
	msr	ttbr0_el1, x0
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	msr	sctlr_el1, x3
	isb
	ret

/*
 * Every exception is a bug here, reported by bm_exception (platform.c),
 * except a fault of the write probe at bm_probe_insn: it resumes at
 * bm_probe_resume.
 */
	.balign	2048
bm_vectors:
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	.balign	128
	stp	x0, x1, [sp, #-16]!
	mov	x0, #\n
	b	vector_common
	.endr

vector_common:
	mrs	x1, elr_el1
	stp	x2, x3, [sp, #-16]!
	adr	x2, bm_probe_insn
	cmp	x1, x2
	b.ne	1f
	adr	x2, bm_probe_resume
	msr	elr_el1, x2
	ldp	x2, x3, [sp], #16
	ldp	x0, x1, [sp], #16
	eret
1:	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	b	bm_exception

/*
 * bm_probe_write(addr): store the byte at addr back to itself.  Returns 0
 * when the store happened, 1 when it faulted.
 */
	.globl	bm_probe_write, bm_probe_insn, bm_probe_resume
bm_probe_write:
	BM_LANDING
	ldrb	w1, [x0]
	mov	x2, x0
	mov	x0, #0
bm_probe_insn:
	strb	w1, [x2]
	ret
bm_probe_resume:
	mov	x0, #1
	ret

/*
 * The veneer area (bm_veneer_map): in the text, so guarded and within a
 * bl's reach of every site; written through bm_text_writable.
 */
	.section .text.veneers, "ax"
	.balign	4096
	.globl	bm_veneer_area
bm_veneer_area:
	.skip	16384

	.section .bss
	.balign	16
	.skip	16384
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
