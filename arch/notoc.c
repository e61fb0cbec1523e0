/*
 * arch/notoc.c - sc_arch_direct_dest() for back ends without a TOC rule
 * (x86-64, aarch64): a site calls every target directly when in reach.
 * powerpc64 has its own (doc/arch-powerpc64.md, "r2 and the TOC").
 */
#include <stdint.h>

#include "staticcall/arch.h"

uintptr_t sc_arch_direct_dest(uintptr_t target, unsigned int flags,
			      uintptr_t site_toc)
{
	(void)flags;
	(void)site_toc;
	return target;
}
