/*
 * arch/nobp.c - the breakpoint protocol hooks of arch.h for back ends that
 * never need it: on fixed-width CPUs every site is one aligned word, so it
 * is always written with one atomic store and the core never asks for a
 * trap.  x86-64 implements these in arch/x86_64/site.c instead.
 */
#include <errno.h>
#include <stdint.h>

#include "staticcall/arch.h"

int sc_arch_bp_first(struct sc_insn *out)
{
	(void)out;
	return -EINVAL;
}

int sc_arch_bp_emulate(uintptr_t site, const struct sc_insn *insn,
		       uintptr_t *pc, uintptr_t *sp)
{
	(void)site;
	(void)insn;
	(void)pc;
	(void)sp;
	return -EINVAL;
}
