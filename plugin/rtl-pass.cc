/*
 * rtl-pass.cc - the RTL pass (before "shorten"): a call to a synthetic
 * callee becomes a direct call to the key's default target, with its site
 * record in front (record.cc); any other use of a synthetic callee means
 * the compiler did not emit a direct call, a located error.
 *
 *   Before:  (call (mem (symbol_ref "__staticcall_site.f")) ...)
 *   After:   .Lscsite0: + record       (call (mem (symbol_ref "*f@PLT")))
 *
 * The renamed symbol keeps the synthetic declaration while the function
 * is output (back ends read it at final: it says "local, direct"); after
 * the last instruction it names the real callee, so the DWARF call-site
 * entries (DW_AT_call_origin) and what reads them (gdb, perf) see f.
 */
#include "staticcall-plugin.h"

/*
 * x86-64: gas relaxes `jmp f@PLT` to a 2-byte jmp when f is local or
 * non-default visibility and in the same section (only a call is always 5
 * bytes).  A tail site to such a target jumps to a weak hidden alias of f
 * instead: gas never resolves a weak symbol, so it keeps the rel32 and ld
 * binds it to f directly.  The alias name is unique per unit and build
 * (weak aliases of two units' static f must not merge).
 */
static char *sc_tail_alias(const rtx_insn *insn, sc_key *k)
{
	static unsigned n;
	tree t = k->target;

	if (!sc_target.tail_alias || !SIBLING_CALL_P(insn) ||
	    k->kind != SC_KIND_SITE)
		return NULL;
	if (TREE_PUBLIC(t) && DECL_VISIBILITY(t) == VISIBILITY_DEFAULT)
		return NULL;
	return xasprintf(SC_TAIL_PREFIX_NAME "%s.%u.%lx", sc_asm_name(t), n++,
			 sc_unit_seed());
}

static rtx sc_target_symbol(sc_key *k, const char *alias)
{
	const char *suffix = k->kind == SC_KIND_SITE ?
		sc_target.symbol_suffix : "";
	char *name = concat("*", alias ? alias : sc_asm_name(k->target),
			    suffix, NULL);
	rtx sym = gen_rtx_SYMBOL_REF(Pmode, ggc_strdup(name));

	free(name);
	SYMBOL_REF_FLAGS(sym) = SYMBOL_FLAG_LOCAL | SYMBOL_FLAG_FUNCTION;
	/* The synthetic decl stays the symbol's decl: targets that look at
	 * it at final (aarch64 -fno-plt) must keep seeing a local callee. */
	SET_SYMBOL_REF_DECL(sym, k->synth);
	/* A weak extern target must still be announced .weak. */
	TREE_SYMBOL_REFERENCED(DECL_ASSEMBLER_NAME(k->target)) = 1;
	return sym;
}

/* The MEM of a call insn's callee, or NULL. */
static rtx sc_call_mem(rtx_insn *insn)
{
	rtx call = get_call_rtx_from(insn);

	if (!call || !MEM_P(XEXP(call, 0)))
		return NULL_RTX;
	return XEXP(call, 0);
}

static void sc_rewrite_call(rtx_insn *insn)
{
	rtx mem = sc_call_mem(insn);
	sc_key *k;
	char *alias;

	if (!mem)
		return;
	if (!(k = sc_entry_of_rtx(XEXP(mem, 0)))) {
		/* static_call(f)() becomes a direct call only after the
		   sites pass: (&__SCT__f) is a temporary at "cfg". */
		if (sc_opt.linux_mode && SYMBOL_REF_P(XEXP(mem, 0)))
			sc_emit_linux_call(insn, targetm.strip_name_encoding(
						   XSTR(XEXP(mem, 0), 0)));
		return;
	}
	alias = sc_tail_alias(insn, k);
	XEXP(mem, 0) = sc_target_symbol(k, alias);
	if (k->kind == SC_KIND_SITE)
		sc_emit_site_record(insn, k, alias);
	free(alias);
}

static void sc_not_direct_error(const rtx_insn *insn, sc_key *k)
{
	error_at(INSN_LOCATION(insn), "call to %qD cannot be patched: %s",
		 k->key, sc_target.not_direct_reason);
}

/* Any use of a synthetic symbol left is not the address of a direct call. */
static void sc_check_insn(rtx_insn *insn)
{
	subrtx_iterator::array_type array;

	static location_t last_loc;
	static sc_key *last_key;

	FOR_EACH_SUBRTX(iter, array, PATTERN(insn), ALL) {
		sc_key *k = sc_entry_of_rtx(*iter);
		if (!k)
			continue;
		/* One error per call, not one per insn loading its address. */
		if (k != last_key || INSN_LOCATION(insn) != last_loc)
			sc_not_direct_error(insn, k);
		last_key = k;
		last_loc = INSN_LOCATION(insn);
		return;
	}
}

unsigned int sc_rtl_execute(function *)
{
	rtx_insn *insn;

	for (insn = get_insns(); insn; insn = NEXT_INSN(insn)) {
		if (!NONDEBUG_INSN_P(insn))
			continue;
		if (CALL_P(insn))
			sc_rewrite_call(insn);
		sc_check_insn(insn);
	}
	return 0;
}

/*
 * After the function's last instruction is output and before its debug
 * information is made (final_end_function calls the epilogue hook, then
 * rest_of_handle_final the debug hook): each renamed call's symbol names
 * the real callee.  The call-site DIE's DW_AT_call_origin is looked up
 * from it, then or at the end of the unit (dwarf2out resolve_addr).
 */
static void (*sc_orig_epilogue)(FILE *);

static void sc_name_real_callees(FILE *f)
{
	sc_orig_epilogue(f);
	for (rtx_insn *insn = get_insns(); insn; insn = NEXT_INSN(insn)) {
		rtx mem, sym;
		tree decl;

		if (!CALL_P(insn) || !(mem = sc_call_mem(insn)))
			continue;
		sym = XEXP(mem, 0);
		if (!SYMBOL_REF_P(sym) || XSTR(sym, 0)[0] != '*')
			continue;
		decl = SYMBOL_REF_DECL(sym);
		if (decl && sc_is_synth(decl))
			SET_SYMBOL_REF_DECL(sym, sc_entry_of_synth(decl)->target);
	}
}

void sc_rtl_init(void)
{
	if (sc_orig_epilogue)
		return;
	sc_orig_epilogue = targetm.asm_out.function_epilogue;
	targetm.asm_out.function_epilogue = sc_name_real_callees;
}
