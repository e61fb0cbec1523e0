/*
 * arch/aarch64/insn.h - the A64 site instructions: opcodes and pure
 * encode/decode over (word, pc).  Compiled for the target by the back end
 * (site.c) and for the build machine by staticcall-tool
 * (tools/scdecode.c), which keeps its own rules of what it accepts.
 * A64 instructions are little-endian whatever the data order.
 */
#ifndef STATICCALL_ARCH_AARCH64_INSN_H
#define STATICCALL_ARCH_AARCH64_INSN_H

#include <stdint.h>

#include "../insn32.h"

#define A64_BL		0x94000000u
#define A64_B		0x14000000u
#define A64_BR_MASK	0xfc000000u	/* opcode bits of b / bl */
#define A64_IMM26	0x03ffffffu
#define A64_NOP		0xd503201fu
#define A64_LDR_X16_8	0x58000050u	/* ldr x16, .+8 */
#define A64_BR_X16	0xd61f0200u	/* br x16 */
/* landing pads (hint space: nops without BTI or PAC) */
#define A64_BTI_C	0xd503245fu
#define A64_BTI_J	0xd503249fu
#define A64_BTI_JC	0xd50324dfu
#define A64_PACIASP	0xd503233fu
#define A64_PACIBSP	0xd503237fu

#define A64_REACH	((uint64_t)1 << 27)	/* 128 MB */

static inline int a64_is_bl(uint32_t w)
{
	return (w & A64_BR_MASK) == A64_BL;
}

static inline int a64_is_b(uint32_t w)
{
	return (w & A64_BR_MASK) == A64_B;
}

/* Where the b / bl @w at @pc branches: imm26 sign-extended, times 4. */
static inline uint64_t a64_branch_dest(uint32_t w, uint64_t pc)
{
	return pc + (uint64_t)((int64_t)((uint64_t)(w & A64_IMM26) << 38) >> 36);
}

/* b (@link 0) or bl (@link 1) at @pc to @dest into *@w: 0, or -1 when
 * @dest is out of reach or not a multiple of 4. */
static inline int a64_encode_branch(uint32_t *w, uint64_t pc, uint64_t dest,
				    int link)
{
	int64_t off = (int64_t)(dest - pc);

	if ((dest & 3) || off < -(int64_t)A64_REACH || off >= (int64_t)A64_REACH)
		return -1;
	*w = (link ? A64_BL : A64_B) | (uint32_t)(((uint64_t)off >> 2) & A64_IMM26);
	return 0;
}

#endif /* STATICCALL_ARCH_AARCH64_INSN_H */
