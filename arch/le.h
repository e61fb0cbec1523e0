/*
 * arch/le.h - little-endian bytes of instructions and literals, for every
 * back end and, through arch/<cpu>/insn.h, for staticcall-tool.  Pure.
 */
#ifndef STATICCALL_ARCH_LE_H
#define STATICCALL_ARCH_LE_H

#include <stdint.h>

static inline void le_put32(unsigned char *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static inline uint32_t le_get32(const unsigned char *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* A veneer's 8-byte target word. */
static inline void le_put64(unsigned char *p, uint64_t v)
{
	le_put32(p, (uint32_t)v);
	le_put32(p + 4, (uint32_t)(v >> 32));
}

#endif /* STATICCALL_ARCH_LE_H */
