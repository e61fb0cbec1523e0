/*
 * refs.cc - a key's default target stays alive exactly as long as a call
 * to it does.
 *
 * Once its calls go to the synthetic callee, nothing GCC sees refers to
 * the key or its default target: only the renamed call and the key record,
 * in assembly.  A static (or comdat, or LTO-localised) target would be
 * removed, or its signature changed by IPA.  But a reference made for
 * every key met (a preserved variable holding &f) outlives the calls:
 *
 *   extern void link_error(void);
 *   int main(void) { int x = 0; if (x) link_error(); return 0; }
 *
 * links without the plugin and must with keys=all.  So:
 *   - from the GIMPLE pass to the end of the early optimisations, a target
 *     defined in this unit is held (force_output);
 *   - a simple IPA pass before "remove_symbols" lets go of it and gives
 *     every function that still calls a synthetic callee an address
 *     reference to the key and the target: IPA removes nothing a site
 *     needs and keeps their signatures (address taken), and LTO's
 *     partitioner exports them to the caller's partition;
 *   - an external target needs nothing: a call that is removed leaves no
 *     reference behind, a call that stays refers to it by itself.
 */
#include "staticcall-plugin.h"

/* The nodes held here, and only those (a user's "used" stays). */
static vec<symtab_node *> sc_held;

static void sc_refer(cgraph_node *caller, tree decl)
{
	symtab_node *node = symtab_node::get(decl);

	if (!caller || !node || !node->definition || DECL_EXTERNAL(decl))
		return;
	caller->create_reference(node, IPA_REF_ADDR, NULL);
	if (cgraph_node *fn = dyn_cast<cgraph_node *>(node))
		fn->mark_address_taken();
	TREE_ADDRESSABLE(decl) = 1;
}

/*
 * Called from the GIMPLE pass, while the unit is analysed: the reference
 * makes the analysis reach DECL (and lower it), force_output keeps it
 * until sc_refs_execute, whatever rebuilds the caller's references.
 */
void sc_hold_until_ipa(tree decl)
{
	symtab_node *node = symtab_node::get(decl);

	if (!node || !node->definition || DECL_EXTERNAL(decl))
		return;
	sc_refer(cgraph_node::get(current_function_decl), decl);
	if (node->force_output)
		return;
	node->force_output = 1;
	sc_held.safe_push(node);
}

static void sc_refer_from(cgraph_node *caller)
{
	function *fun = DECL_STRUCT_FUNCTION(caller->decl);
	basic_block bb;

	if (!fun || !fun->cfg)
		return;
	FOR_EACH_BB_FN(bb, fun) {
		for (gimple_stmt_iterator gsi = gsi_start_bb(bb);
		     !gsi_end_p(gsi); gsi_next(&gsi)) {
			gcall *call = dyn_cast<gcall *>(gsi_stmt(gsi));
			tree fndecl = call ? gimple_call_fndecl(call) : NULL_TREE;
			sc_key *k;

			if (!fndecl || !sc_is_synth(fndecl) ||
			    !(k = sc_entry_of_synth(fndecl)))
				continue;
			sc_refer(caller, k->key);
			if (k->target != k->key)
				sc_refer(caller, k->target);
		}
	}
}

unsigned int sc_refs_execute(function *)
{
	cgraph_node *node;
	unsigned i;
	symtab_node *held;

	FOR_EACH_FUNCTION_WITH_GIMPLE_BODY(node)
		sc_refer_from(node);
	FOR_EACH_VEC_ELT(sc_held, i, held)
		held->force_output = 0;
	sc_held.truncate(0);
	return 0;
}
