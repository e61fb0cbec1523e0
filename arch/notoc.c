/*
 * arch/notoc.c - sc_arch_direct_dest() and sc_arch_needs_prepare() for
 * back ends without a TOC rule (x86-64, aarch64): a site calls every
 * target directly when in reach, and is never prepared.  powerpc64 has
 * its own (doc/arch-powerpc64.md, "r2 and the TOC").
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

int sc_arch_needs_prepare(uintptr_t site)
{
	(void)site;
	return 0;
}
