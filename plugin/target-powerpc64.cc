/*
 * target-powerpc64.cc - the powerpc64 ELFv2 site: `bl f; nop`, the global
 * call form, whatever f is, so the runtime can bind the site to a target
 * in another object or TOC (the nop becomes `ld r2,24(r1)`).
 *
 *   .Lscsite0: bl f           (record flags: TOC_SAVED when the prologue
 *              nop             saves r2 to 24(r1), see below)
 *
 * Synthetic callees are global and carry "shortcall" (keys.cc), which GCC
 * never sibcalls: a call in tail position stays bl; nop and the caller's
 * TOC is restored whatever the site is later bound to.  This file's
 * passes: the TOC save in the prologue, and bl under -fno-plt.
 */
#include "gcc-pass.h"
#include "staticcall-plugin.h"

const struct sc_target_info sc_target = {
	/* symbol_suffix */	"",
	/* site_prefix */	"",
	/* global_calls */	true,
	/* tail_alias */	false,
	/* not_direct_reason */
	"the compiler did not emit it as a direct call",
	/* toc_restore_macro: the ld the runtime wrote at registration before */
	"\t.macro nop\n\tld 2,24(1)\n\t.endm\n",
	/* linux_toc_save: see "Linux's sites" below */
	"\tstd 2,24(1)\n",
	/* linux_module_far: modules are at 0xc008..., the kernel at 0xc000... */
	true,
};

/*
 * Linux's sites (kernel mode, a call to a __SCT__<name> trampoline):
 *
 *              std 2,24(1)
 *   .Lsclinux0: bl __SCT__name
 *              ld 2,24(1)        (a module: nop, which the loader makes this)
 *
 * The kernel rewrites the bl to call the key's target directly when it
 * shares the caller's TOC, else to something that reaches it through r12
 * (its global entry), which sets r2 to the target's TOC: the restore after
 * the call is what makes that right, and the store just before it is what
 * makes the restore right, whatever the function's prologue saved (alloca,
 * shrink-wrapping) and whichever instruction the site holds.  A module
 * keeps the nop: module_64.c's restore_r2 writes the ld itself, and
 * refuses any other instruction there.
 */

/*
 * A site's record says STATICCALL_SITE_TOC_SAVED, the promise that r2 is
 * in the caller's TOC save slot 24(r1) whenever the site runs, so the
 * runtime may turn a call to a same-TOC target into a direct bl (the
 * ld r2,24(r1) after it then reloads what the prologue saved).  GCC saves
 * r2 in the prologue when cfun->machine->save_toc_in_prologue is set (it
 * does so itself for some indirect calls), but separate shrink-wrapping
 * may move that save (component 2) into only the blocks where r2 is live,
 * set or used, or drop it: here the component is taken out of what may be
 * wrapped separately, for functions with sites only, so the std stays in
 * the prologue that every path to a site passes.  Other components (GPR,
 * LR saves) are still wrapped.
 */
unsigned sc_target_site_flags(void)
{
	if (cfun->machine->save_toc_in_prologue &&
	    !cfun->machine->toc_is_wrapped_separately && !cfun->calls_alloca)
		return STATICCALL_SITE_TOC_SAVED;
	return 0;
}

static tree sc_toc_fn;	/* the function whose prologue must save r2 */
static sbitmap (*sc_orig_separate)(void);

static sbitmap sc_get_separate_components(void)
{
	sbitmap c = sc_orig_separate();

	if (c && current_function_decl && current_function_decl == sc_toc_fn &&
	    SBITMAP_SIZE(c) > 2)
		bitmap_clear_bit(c, 2);
	return c;
}

static unsigned int sc_toc_execute(function *fun)
{
	rtx_insn *insn;

	sc_toc_fn = NULL_TREE;
	for (insn = get_insns(); insn; insn = NEXT_INSN(insn)) {
		rtx call, mem;
		sc_key *k;

		if (!CALL_P(insn))
			continue;
		call = get_call_rtx_from(insn);
		if (!call || !MEM_P(mem = XEXP(call, 0)))
			continue;
		k = sc_entry_of_rtx(XEXP(mem, 0));
		/* alloca moves r1: 24(r1) is then a slot nobody wrote */
		if (k && k->kind == SC_KIND_SITE && !fun->calls_alloca) {
			fun->machine->save_toc_in_prologue = true;
			sc_toc_fn = fun->decl;
			break;
		}
	}
	return 0;
}

/*
 * -fno-plt makes GCC call every external function through an inline PLT
 * sequence (mtctr; bctrl), shortcall or not.  Sites need bl, so flag_plt
 * is turned back on around "expand" (other calls then go through the
 * usual PLT stub: same behaviour, one more branch).
 */
static int sc_saved_flag_plt = -1;

static unsigned int sc_plt_on(function *)
{
	sc_saved_flag_plt = flag_plt;
	flag_plt = 1;
	return 0;
}

static unsigned int sc_plt_restore(function *)
{
	if (sc_saved_flag_plt >= 0)
		flag_plt = sc_saved_flag_plt;
	sc_saved_flag_plt = -1;
	return 0;
}

void sc_target_init(const char *name)
{
	sc_register_pass(name, RTL_PASS, "staticcall_toc_save", 0,
			 sc_toc_execute, "expand", 1, PASS_POS_INSERT_AFTER);
	if (targetm.shrink_wrap.get_separate_components && !sc_orig_separate) {
		sc_orig_separate = targetm.shrink_wrap.get_separate_components;
		targetm.shrink_wrap.get_separate_components =
			sc_get_separate_components;
	}
	if (flag_plt)
		return;
	sc_register_pass(name, GIMPLE_PASS, "staticcall_plt_on", 0,
			 sc_plt_on, "optimized", 1, PASS_POS_INSERT_AFTER);
	sc_register_pass(name, RTL_PASS, "staticcall_plt_restore", 0,
			 sc_plt_restore, "expand", 1, PASS_POS_INSERT_AFTER);
}
