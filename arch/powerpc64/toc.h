/*
 * arch/powerpc64/toc.h - the powerpc64 back end's TOC helpers (site.c),
 * private to it and to its tests: the rest of the runtime only sees
 * sc_arch_direct_dest() and sc_arch_veneer_build() (staticcall/arch.h).
 * The rule they serve: doc/arch-powerpc64.md, "r2 and the TOC".
 */
#ifndef STATICCALL_ARCH_POWERPC64_TOC_H
#define STATICCALL_ARCH_POWERPC64_TOC_H

#include <stdint.h>

/*
 * The TOC pointer @fn's global entry computes (from its
 * `addis r2,r12,hi; addi r2,r2,lo`, `lis r2,hi; addi r2,r2,lo` or
 * -mcmodel=large `ld r2,d(r12); add r2,r2,r12` prologue), 0 when @fn has
 * no such prologue.  Any function of an object that uses its TOC tells
 * the object's TOC.
 */
uintptr_t sc_arch_fn_toc(uintptr_t fn);
/* @fn + 8 after that prologue, else @fn. */
uintptr_t sc_arch_local_entry(uintptr_t fn);
/*
 * sc_arch_veneer_build() for a site whose object's TOC is @site_toc (0:
 * unknown): the veneer enters @target at its local entry when @target
 * computes the same TOC, else at its global entry with r12 = @target
 * (always correct, two instructions slower).
 */
int sc_arch_veneer_build_toc(void *buf, uintptr_t veneer, uintptr_t target,
			     uintptr_t site_toc);

#endif /* STATICCALL_ARCH_POWERPC64_TOC_H */
