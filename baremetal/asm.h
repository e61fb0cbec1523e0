/*
 * baremetal/asm.h - branch protection in the kernels' assembly files.
 *
 * Built with the target's protection flags (configure.ac: arm64
 * -mbranch-protection=standard, x86-64 -fcf-protection=full), an assembly
 * file must say so itself: the linker marks an image BTI/PAC or IBT/SHSTK
 * only when every input carries the GNU property note, and GCC writes it
 * only into the objects it compiles.  So each boot.S includes this header,
 * which emits the note for the protection the compiler was asked for, and
 * starts every label an indirect branch can reach with BM_LANDING:
 *   arm64   bti c (hint 34: a nop on CPUs without BTI), the pad a BLR or
 *           a BR through x16/x17 is allowed to land on;
 *   x86-64  endbr64 (a nop without CET), where an indirect jmp/call or,
 *           with supervisor IBT, an interrupt gate lands.
 * Nothing when the flags are off; powerpc64 has no such property.
 */
#ifndef BAREMETAL_ASM_H
#define BAREMETAL_ASM_H

#if defined(__aarch64__)

# define GNU_PROPERTY_AARCH64_FEATURE_1_AND	0xc0000000
# if defined(__ARM_FEATURE_BTI_DEFAULT) && __ARM_FEATURE_BTI_DEFAULT
#  define BM_LANDING		hint 34		/* bti c */
#  define BM_FEATURE_BTI	1
# else
#  define BM_LANDING
#  define BM_FEATURE_BTI	0
# endif
# if defined(__ARM_FEATURE_PAC_DEFAULT) && __ARM_FEATURE_PAC_DEFAULT
#  define BM_FEATURE_PAC	2
# else
#  define BM_FEATURE_PAC	0
# endif
# if BM_FEATURE_BTI || BM_FEATURE_PAC
	.pushsection .note.gnu.property, "a"
	.balign	8
	.long	4			/* n_namesz */
	.long	16			/* n_descsz */
	.long	5			/* NT_GNU_PROPERTY_TYPE_0 */
	.asciz	"GNU"
	.long	GNU_PROPERTY_AARCH64_FEATURE_1_AND
	.long	4
	.long	BM_FEATURE_BTI | BM_FEATURE_PAC
	.long	0			/* pad to 8 */
	.popsection
# endif

#elif defined(__x86_64__)

/* GCC's <cet.h>: _CET_ENDBR, and the note when __CET__ is defined */
# include <cet.h>
# define BM_LANDING		_CET_ENDBR

#else

# define BM_LANDING

#endif

#endif /* BAREMETAL_ASM_H */
