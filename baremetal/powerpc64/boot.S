/*
 * baremetal/powerpc64/boot.S - entry of the powerpc64le kernel on qemu's
 * pseries machine, its second CPU's entry, exception vectors, hcalls.
 *
 * The kernel is the machine's firmware (qemu -bios): qemu loads it at 0
 * and starts CPU 0 at 0x100, 64-bit, real mode (MSR IR/DR off), big-endian.
 * CPU 1 starts the same way at bm_cpu1_start through the RTAS call
 * start-cpu (platform.c), r3 = its stack top.  Both first switch to
 * little-endian (the byte-reversed trampoline Linux uses), then enable
 * FP/VMX/VSX (the core may use them) and set up r1 and r2.
 */
#define MSR_FP		(1 << 13)
#define MSR_VEC		(1 << 25)
#define MSR_VSX		(1 << 23)

/* Works in either byte order: `tdi` read big-endian is `b .+8`. */
#define FIXUP_ENDIAN						\
	tdi	0, 0, 0x48;					\
	b	191f;						\
	.long	0xa600607d;	/* mfmsr r11 */			\
	.long	0x01006b69;	/* xori r11,r11,1 */		\
	.long	0x00004039;	/* li r10,0 */			\
	.long	0x6401417d;	/* mtmsrd r10,1 */		\
	.long	0x05009f42;	/* bcl 20,31,$+4 */		\
	.long	0xa602487d;	/* mflr r10 */			\
	.long	0x14004a39;	/* addi r10,r10,20 */		\
	.long	0xa6035a7d;	/* mtsrr0 r10 */		\
	.long	0xa6037b7d;	/* mtsrr1 r11 */		\
	.long	0x2400004c;	/* rfid */			\
191:

/* FP, VMX and VSX on; the TOC pointer. */
#define CPU_SETUP						\
	mfmsr	%r11;						\
	lis	%r12, (MSR_VEC | MSR_VSX)@h;			\
	ori	%r12, %r12, MSR_FP;				\
	or	%r11, %r11, %r12;				\
	mtmsrd	%r11;						\
	isync;							\
	lis	%r2, .TOC.@ha;					\
	addi	%r2, %r2, .TOC.@l

	.section .text.entry, "ax"
	.globl	_start
_start:					/* at 0x100 */
	FIXUP_ENDIAN
	b	start_le

/*
 * Vectors 0x200 - 0x1f00, entered little-endian once bm_main has set
 * LPCR[ILE] (H_SET_MODE): every exception is a bug here.
 */
	.irp	v, 0x200,0x300,0x380,0x400,0x480,0x500,0x600,0x700,0x800,0x900,0x980,0xa00,0xb00,0xc00,0xd00,0xe00,0xe20,0xe40,0xe60,0xe80,0xea0,0xf00,0xf20,0xf40,0xf60,0x1000,0x1100,0x1200,0x1300,0x1500,0x1600,0x1700
	. = \v - 0x100
	li	%r3, \v
	b	trap
	.endr

	. = 0x1f00
trap:
	lis	%r1, trap_stack_top@ha
	addi	%r1, %r1, trap_stack_top@l
	lis	%r2, .TOC.@ha
	addi	%r2, %r2, .TOC.@l
	mfsrr0	%r4
	mfsrr1	%r5
	mfdar	%r6
	bl	bm_exception
	nop
1:	b	1b

start_le:
	CPU_SETUP
	lis	%r1, boot_stack_top@ha
	addi	%r1, %r1, boot_stack_top@l
	li	%r0, 0
	stdu	%r0, -32(%r1)
	bl	bm_main
	nop
2:	b	2b

	.globl	bm_cpu1_start
bm_cpu1_start:
	FIXUP_ENDIAN
	CPU_SETUP
	mr	%r1, %r3
	li	%r0, 0
	stdu	%r0, -32(%r1)
	bl	bm_cpu1_entry
	nop
3:	b	3b

/* bm_hcall(opcode, a1, a2, a3, a4): r3 = opcode, r4.. = arguments. */
	.text
	.globl	bm_hcall
bm_hcall:
	sc	1
	blr

	.section .bss
	.balign	16
	.skip	16384
boot_stack_top:
	.skip	4096
trap_stack_top:

	.section .note.GNU-stack, "", @progbits
