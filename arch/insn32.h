/*
 * arch/insn32.h - little-endian 32-bit instruction words, shared by the
 * fixed-width back ends (aarch64, powerpc64le) and, through their insn.h,
 * by staticcall-tool.  Freestanding.
 */
#ifndef STATICCALL_ARCH_INSN32_H
#define STATICCALL_ARCH_INSN32_H

#include <errno.h>
#include <stdint.h>

#include "staticcall/arch.h"
#include "le.h"

/* One aligned word of executing text, read once. */
static inline uint32_t load32(uintptr_t addr)
{
	return *(const volatile uint32_t *)addr;
}

/*
 * sc_arch_store_atomic() of a fixed-width back end: the site is one
 * aligned word, written with one single-copy-atomic 32-bit store.
 */
static inline int insn32_store_atomic(uintptr_t site, unsigned char *rw,
				       const struct sc_insn *insn)
{
	if ((site & 3) || ((uintptr_t)rw & 3) || insn->len != 4)
		return -EINVAL;
	__atomic_store_n((uint32_t *)rw, le_get32(insn->bytes), __ATOMIC_RELAXED);
	return 0;
}

#endif /* STATICCALL_ARCH_INSN32_H */
