/*
 * gimple-pass.cc - the GIMPLE pass (after "cfg"): every call to a key
 * becomes a call to the key's synthetic callee (keys.cc).
 *
 *   Before:  f (x);             p = fptr; p (x);        (fptr a pointer key)
 *   After:   __staticcall_site.f (x);    __staticcall_site.fptr (x);
 *
 * It runs before inlining, IPA and the early optimisations, so GCC never
 * sees through a site; the RTL pass (rtl-pass.cc) names the default
 * target again.  It also refuses what would bypass a pointer key: a store
 * to it, a call through one whose initializer this unit cannot see.
 */
#include "staticcall-plugin.h"

/* The function a function-pointer key is statically initialised with. */
static tree sc_fnptr_initial(tree var)
{
	tree init = DECL_INITIAL(var);

	if (!init || init == error_mark_node)
		return NULL_TREE;
	STRIP_NOPS(init);
	if (TREE_CODE(init) == ADDR_EXPR &&
	    TREE_CODE(TREE_OPERAND(init, 0)) == FUNCTION_DECL)
		return TREE_OPERAND(init, 0);
	return NULL_TREE;
}

/* The pointer key a call's SSA callee was loaded from, if any. */
static tree sc_call_fnptr_key(gcall *call)
{
	tree fn = gimple_call_fn(call);
	gimple *def;

	if (!fn || TREE_CODE(fn) != SSA_NAME)
		return NULL_TREE;
	def = SSA_NAME_DEF_STMT(fn);
	if (!def || !gimple_assign_single_p(def))
		return NULL_TREE;
	return sc_is_fnptr_key(gimple_assign_rhs1(def)) ?
		gimple_assign_rhs1(def) : NULL_TREE;
}

/*
 * -flto: a static key (or default target) is referenced by the renamed
 * call and the key record only in assembly GCC does not see, so WPA could
 * leave it local to another partition.  An empty asm next to the call
 * that takes its address makes the caller refer to it wherever the call
 * goes (inlined, split, partitioned); WPA then exports it.
 */
static void sc_add_lto_refs(gimple_stmt_iterator *gsi, sc_key *k)
{
	vec<tree, va_gc> *inputs = NULL;
	tree decls[2] = { k->key, k->target };

	if (!flag_generate_lto)
		return;
	for (int i = 0; i < 2; i++) {
		tree d = decls[i];
		if (TREE_PUBLIC(d) || (i == 1 && d == k->key))
			continue;
		tree constraint = build_tree_list(NULL_TREE,
						  build_string(1, "X"));
		vec_safe_push(inputs, build_tree_list(constraint,
						      build_fold_addr_expr(d)));
	}
	if (!inputs)
		return;
	gasm *a = gimple_build_asm_vec("", inputs, NULL, NULL, NULL);
	gimple_asm_set_volatile(a, true);
	gimple_set_location(a, gimple_location(gsi_stmt(*gsi)));
	gsi_insert_before(gsi, a, GSI_SAME_STMT);
}

static void sc_call_synth(gimple_stmt_iterator *gsi, gcall *call, sc_key *k)
{
	gimple_call_set_fndecl(call, k->synth);
	/* The call keeps its own type (a cast may differ from the key's). */
	gimple_call_set_fntype(call, sc_call_type(gimple_call_fntype(call)));
	update_stmt(call);
	sc_add_lto_refs(gsi, k);
	sc_lto_warn_link(k);
}

static void sc_redirect_fnptr_call(gimple_stmt_iterator *gsi, gcall *call,
				   tree var)
{
	tree target = sc_fnptr_initial(var);
	tree fntype = TREE_TYPE(TREE_TYPE(var));
	const char *reason;

	if (!target) {
		error_at(gimple_location(call),
			 "call through %qD cannot be a %<static_call%> site: "
			 "the static initializer of the variable (a function) "
			 "is not visible in this translation unit", var);
		return;
	}
	reason = sc_caller_refusal(current_function_decl);
	if (reason) {
		error_at(gimple_location(call),
			 "call through %qD cannot be a %<static_call%> site: "
			 "%s", var, reason);
		return;
	}
	sc_call_synth(gsi, call, sc_get_synth(var, target, fntype,
					      SC_KIND_SITE));
}

/* Is a call to FNDECL a site?  A refused explicit key is an error here. */
static bool sc_call_is_site(gcall *call, tree fndecl)
{
	const char *reason;

	if (!sc_explicit_key(fndecl))
		return sc_keys_all_takes(fndecl, call);
	reason = sc_callee_refusal(fndecl);
	if (reason) {
		sc_refuse_key(fndecl, gimple_location(call), reason);
		return false;
	}
	reason = sc_caller_refusal(current_function_decl);
	if (reason) {
		error_at(gimple_location(call),
			 "call to %qD cannot be a %<static_call%> site: %s",
			 fndecl, reason);
		return false;
	}
	return true;
}

static void sc_redirect_call(gimple_stmt_iterator *gsi, gcall *call)
{
	tree fndecl = gimple_call_fndecl(call);
	enum sc_kind kind;

	if (gimple_call_internal_p(call))
		return;
	if (!fndecl) {
		tree var = sc_call_fnptr_key(call);
		if (var)
			sc_redirect_fnptr_call(gsi, call, var);
		return;
	}
	if (sc_is_synth(fndecl))
		return;
	if (sc_call_is_site(call, fndecl))
		kind = SC_KIND_SITE;
	else if (sc_wants_global_call(fndecl))
		kind = SC_KIND_GLOBAL;
	else
		return;
	sc_call_synth(gsi, call, sc_get_synth(fndecl, fndecl,
					      TREE_TYPE(fndecl), kind));
}

/* A store to a pointer key would bypass the runtime: its sites would not follow. */
static void sc_check_store(gimple *stmt)
{
	tree lhs = gimple_get_lhs(stmt);

	if (lhs && TREE_CODE(lhs) == MEM_REF && !TREE_THIS_VOLATILE(lhs) &&
	    TREE_CODE(TREE_OPERAND(lhs, 0)) == ADDR_EXPR)
		lhs = TREE_OPERAND(TREE_OPERAND(lhs, 0), 0);
	if (sc_is_fnptr_key(lhs))
		error_at(gimple_location(stmt),
			 "assignment to %qD, a %<static_call%> function "
			 "pointer, would bypass its sites; use "
			 "%<staticcall_update%>", lhs);
}

unsigned int sc_gimple_execute(function *fun)
{
	basic_block bb;

	FOR_EACH_BB_FN(bb, fun) {
		gimple_stmt_iterator gsi;

		for (gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi)) {
			gimple *stmt = gsi_stmt(gsi);

			if (is_gimple_assign(stmt) || is_gimple_call(stmt))
				sc_check_store(stmt);
			if (gcall *call = dyn_cast<gcall *>(stmt))
				sc_redirect_call(&gsi, call);
		}
	}
	return 0;
}
