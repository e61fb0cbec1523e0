/*
 * target-x86_64.cc - the x86-64 site: a 5-byte `call f@PLT` / `jmp f@PLT`
 * lying inside one naturally aligned 8-byte word, so the runtime rewrites
 * it with one atomic store.
 *
 *   .p2align 3,0x2e,4          1..4 CS prefixes (ignored in 64-bit mode)
 *   .Lscsite0: call f@PLT      when the call would start at offset 4..7
 *
 * call/jmp f@PLT is always 5 bytes (gas never relaxes it to rel8; ld
 * resolves it directly when f binds locally); a jmp to a local target
 * goes through a weak alias (rtl-pass.cc).  -mcmodel=large loads the
 * target into a register: no site, a located error.
 */
#include "staticcall-plugin.h"

const struct sc_target_info sc_target = {
	/* symbol_suffix */	"@PLT",
	/*
	 * A 5-byte call fits in the 8-byte word iff it starts at offset
	 * 0..3.  The padding bytes are prefixes of the call itself, so a
	 * site costs no extra instruction, and the 5 bytes the runtime
	 * rewrites still lie in one word.
	 */
	/* site_prefix */	"\t.p2align 3,0x2e,4\n",
	/* global_calls */	false,
	/* tail_alias */	true,
	/* not_direct_reason */
	"it is not a direct call (with '-mcmodel=large' a rel32 call "
	"cannot promise to reach its target; use '-mcmodel=medium' or "
	"'-mcmodel=small')",
	/* toc_restore_macro */	NULL,
	/* linux_toc_save */	NULL,
	/* linux_module_far */	false,
};

unsigned sc_target_site_flags(void)
{
	return STATICCALL_SITE_ALIGNED;
}

void sc_target_init(const char *)
{
}
