/*
 * arch/notrap.c - the trap protocol's entry points for back ends without
 * one (sc_arch.trap 0): on fixed-width CPUs every site is one aligned
 * word, always written with one atomic store, so the core never asks for
 * a trap and no trap is ever ours.  x86-64 has arch/x86_64/trap.c instead.
 */
#include <stdint.h>

#include "staticcall/arch.h"
#include "staticcall/platform.h"

int sc_arch_needs_trap(uintptr_t site)
{
	(void)site;
	return 0;
}

void sc_arch_trap_store(const struct sc_trap_entry *v, unsigned int n,
			void *(*rw)(uintptr_t), void (*sync_cores)(void))
{
	(void)v;
	(void)n;
	(void)rw;
	(void)sync_cores;
}

int staticcall_bp_handle(uintptr_t *pc, uintptr_t *sp)
{
	(void)pc;
	(void)sp;
	return 0;
}
