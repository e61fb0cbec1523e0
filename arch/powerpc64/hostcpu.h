/*
 * arch/powerpc64/hostcpu.h - what the hosted Linux layer (runtime/linux/)
 * needs to know of this CPU; every arch/<cpu>/hostcpu.h has the same
 * functions.
 */
#ifndef STATICCALL_ARCH_HOSTCPU_H
#define STATICCALL_ARCH_HOSTCPU_H

#include <stdint.h>
#include <ucontext.h>

/* The unit of one atomic store of a site (one instruction word): a
   writer that copies words (/proc/self/mem) copies this many bytes at once. */
#define SC_HOST_STORE_UNIT	4

#define PPC_GPR_NIP	32	/* gp_regs index of the pc (PT_NIP) */

/*
 * The object's TOC pointer as its code sees it: r2 in the caller, which
 * every function of the object runs with, the functions holding its
 * sites included (doc/arch-powerpc64.md, "r2 and the TOC").
 */
static inline uintptr_t sc_host_toc(void)
{
	uintptr_t toc;

	__asm__("mr %0,2" : "=r"(toc));
	return toc;
}

/* The pc and stack pointer (r1) of a signal's context @ctx (a ucontext_t). */
static inline void sc_host_regs(void *ctx, uintptr_t *pc, uintptr_t *sp)
{
	ucontext_t *uc = ctx;

	*pc = (uintptr_t)uc->uc_mcontext.gp_regs[PPC_GPR_NIP];
	*sp = (uintptr_t)uc->uc_mcontext.gp_regs[1];
}

static inline void sc_host_set_regs(void *ctx, uintptr_t pc, uintptr_t sp)
{
	ucontext_t *uc = ctx;

	uc->uc_mcontext.gp_regs[PPC_GPR_NIP] = pc;
	uc->uc_mcontext.gp_regs[1] = sp;
}

#endif /* STATICCALL_ARCH_HOSTCPU_H */
