/*
 * arch/notrap.c - the trap protocol's entry points for back ends without
 * one (sc_arch.trap 0): on fixed-width CPUs every site is one aligned
 * word, always written with one atomic store, so the core never asks for
 * a trap and no trap is ever ours.  x86-64 has arch/x86_64/trap.c instead.
 */
#include <stdint.h>

#include "../runtime/internal.h"

int sc_arch_needs_trap(uintptr_t site)
{
	(void)site;
	return 0;
}

void sc_trap_store(const struct sc_plan *plan)
{
	(void)plan;
}

int staticcall_bp_handle(uintptr_t *pc, uintptr_t *sp)
{
	(void)pc;
	(void)sp;
	return 0;
}
