/*
 * arch/powerpc64/insn.h - the powerpc64 (ELFv2) site instructions: opcodes
 * and pure encode/decode over (word, pc).  Compiled for the target by the
 * back end (site.c) and for the build machine by staticcall-tool
 * (tools/scdecode.c), which keeps its own rules of what it accepts.
 *
 * A site is `bl X` followed by the global-call `nop`, or by the TOC
 * restore `ld r2,24(r1)` once the linker or the runtime rewrote it
 * (doc/arch-powerpc64.md, "r2 and the TOC").
 */
#ifndef STATICCALL_ARCH_POWERPC64_INSN_H
#define STATICCALL_ARCH_POWERPC64_INSN_H

#include <stdint.h>

#include "../insn32.h"

#define PPC_B		0x48000000u	/* b with LK=0, AA=0 */
#define PPC_BL		0x48000001u	/* b with LK=1, AA=0 */
#define PPC_BL_MASK	0xfc000003u
#define PPC_LI		0x03fffffcu
#define PPC_NOP		0x60000000u	/* ori r0,r0,0 */
#define PPC_LD_R2_24_R1	0xe8410018u	/* ld r2,24(r1): the TOC restore */
#define PPC_STD_R2_24_R1 0xf8410018u	/* std r2,24(r1) */
#define PPC_MFLR_R0	0x7c0802a6u
#define PPC_BCL_20_31	0x429f0005u	/* bcl 20,31,.+4 */
#define PPC_MFLR_R12	0x7d8802a6u
#define PPC_MTLR_R0	0x7c0803a6u
#define PPC_LD_R12_20	0xe98c0014u	/* ld r12,20(r12) */
#define PPC_MTCTR_R12	0x7d8903a6u
#define PPC_BCTR	0x4e800420u
#define PPC_ADDIS_R2_R12 0x3c4c0000u	/* addis r2,r12,hi */
#define PPC_LIS_R2	0x3c400000u	/* lis r2,hi (addis r2,0,hi) */
#define PPC_ADDI_R2_R2	0x38420000u	/* addi r2,r2,lo */
#define PPC_HI_MASK	0xffff0000u
#define PPC_LD_R2_R12	0xe84c0000u	/* ld r2,d(r12) */
#define PPC_ADD_R2_R2_R12 0x7c426214u	/* add r2,r2,r12 */

#define PPC_REACH	((uint64_t)1 << 25)	/* 32 MB */

static inline int ppc_is_bl(uint32_t w)
{
	return (w & PPC_BL_MASK) == PPC_BL;
}

static inline int ppc_is_b(uint32_t w)
{
	return (w & PPC_BL_MASK) == PPC_B;
}

/* Where the b / bl @w at @pc branches: LI (bits 6..29) sign-extended. */
static inline uint64_t ppc_branch_dest(uint32_t w, uint64_t pc)
{
	return pc + (uint64_t)((int64_t)((uint64_t)(w & PPC_LI) << 38) >> 38);
}

/* bl at @pc to @dest into *@w: 0, or -1 when @dest is out of reach. */
static inline int ppc_encode_bl(uint32_t *w, uint64_t pc, uint64_t dest)
{
	int64_t off = (int64_t)(dest - pc);

	if ((dest & 3) || off < -(int64_t)PPC_REACH || off >= (int64_t)PPC_REACH)
		return -1;
	*w = PPC_BL | ((uint32_t)off & PPC_LI);
	return 0;
}

#endif /* STATICCALL_ARCH_POWERPC64_INSN_H */
