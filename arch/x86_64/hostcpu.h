/*
 * arch/x86_64/hostcpu.h - what the hosted Linux layer (runtime/linux/) needs
 * to know of this CPU; every arch/<cpu>/hostcpu.h has the same functions.
 */
#ifndef STATICCALL_ARCH_HOSTCPU_H
#define STATICCALL_ARCH_HOSTCPU_H

#include <stdint.h>
#include <ucontext.h>

/* The unit of one atomic store of a site (one aligned 8-byte word holds a whole site): a
   writer that copies words (/proc/self/mem) copies this many bytes at once. */
#define SC_HOST_STORE_UNIT	8

/* The object's context pointer (TOC) as its code sees it: none here. */
static inline uintptr_t sc_host_toc(void)
{
	return 0;
}

/* The pc and stack pointer of a signal's context @ctx (a ucontext_t). */
static inline void sc_host_regs(void *ctx, uintptr_t *pc, uintptr_t *sp)
{
	ucontext_t *uc = ctx;

	*pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
	*sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
}

static inline void sc_host_set_regs(void *ctx, uintptr_t pc, uintptr_t sp)
{
	ucontext_t *uc = ctx;

	uc->uc_mcontext.gregs[REG_RIP] = (greg_t)pc;
	uc->uc_mcontext.gregs[REG_RSP] = (greg_t)sp;
}

#endif /* STATICCALL_ARCH_HOSTCPU_H */
