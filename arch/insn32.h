/*
 * arch/insn32.h - little-endian 32-bit instruction words, shared by the
 * fixed-width back ends (aarch64, powerpc64le).  Freestanding.
 */
#ifndef STATICCALL_ARCH_INSN32_H
#define STATICCALL_ARCH_INSN32_H

#include <stdint.h>

/* One aligned word of executing text, read once. */
static inline uint32_t load32(uintptr_t addr)
{
	return *(const volatile uint32_t *)addr;
}

/* Bytes of an encoded instruction (struct sc_insn) to and from a word. */
static inline void put32(unsigned char *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static inline uint32_t get32(const unsigned char *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

#endif /* STATICCALL_ARCH_INSN32_H */
