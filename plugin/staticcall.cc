/*
 * staticcall.cc - the GCC plugin that turns calls into patchable sites.
 *
 * Before:                               After (x86-64, -O2 -fPIC):
 *   int f(int) __attribute__((static_call));
 *   int g(int x) { return f(x) + 1; }     .p2align 3,0x2e,4
 *                                       .Lscsite0:
 *                                         call f@PLT      (+ a record of
 *                                                          .Lscsite0 in
 *                                                          staticcall_sites)
 *
 * Every call to a key becomes a real direct call to the key's default
 * target (aarch64 bl/b, powerpc64 bl + nop, x86-64 a 5-byte call/jmp lying
 * in one 8-byte word) with a site record in staticcall_sites and one key
 * record per key in staticcall_keys (layout: include/staticcall/abi.h).
 *
 * How (doc/internals.md "How the plugin makes a site"):
 *   1. A GIMPLE pass after "cfg" redirects each call to a key to a
 *      synthetic external declaration "__staticcall_site.<key>" of the same
 *      type.  GCC sees no body behind it: no inlining, cloning, IPA-RA,
 *      pure/const or noreturn discovery.  The synthetic declaration carries
 *      the key and the default target in an internal attribute, so the
 *      information survives LTO streaming.
 *   2. An RTL pass before "shorten" renames each call to a synthetic symbol
 *      back to the default target and puts the site record before it.
 *   3. At the end of the unit, one key record per key with sites.
 *
 * Attributes:
 *   static_call         on a function: calls to it are sites of its key;
 *                       on a function-pointer variable with a static
 *                       initializer: calls through it are direct sites.
 *   static_call_global  on a function: powerpc64 calls it in the global
 *                       form (bl f; nop) even when it is local.
 * Options (-fplugin-arg-staticcall-<key>[=<value>]):
 *   keys=f,g,...|all    treat calls to f, g (or every direct call) as sites
 *   global-calls=all|none  global call form for every local callee (ppc64)
 *   help, version
 */
#include "gcc-common.h"
#include "staticcall/abi.h"

int plugin_is_GPL_compatible;

#ifndef STATICCALL_VERSION
#define STATICCALL_VERSION "0.0.0"
#endif

/*
 * Per target: what follows the target's name in a site's call, what goes
 * before the call, and the site flags every site of this target carries.
 */
#if defined(STATICCALL_TARGET_X86_64)
/* call/jmp f@PLT is always 5 bytes: gas never relaxes it to rel8 and ld
 * resolves it directly when f binds locally. */
#define SC_TARGET_SUFFIX	"@PLT"
/*
 * A 5-byte call fits in the 8-byte word iff it starts at offset 0..3.  The
 * padding is 0x2e (CS segment override, ignored in 64-bit mode) rather
 * than a nop: the 1..4 padding bytes become prefixes of the call itself,
 * so a site costs no extra instruction, and the 5 bytes the runtime
 * rewrites (opcode + rel32, the site's address) still lie in one word.
 */
#define SC_SITE_PREFIX		"\t.p2align 3,0x2e,4\n"
#define SC_SITE_ARCH_FLAGS	STATICCALL_SITE_ALIGNED
#define SC_GLOBAL_CALLS		0
#define SC_TAIL_ALIAS		1
#elif defined(STATICCALL_TARGET_AARCH64)
#define SC_TARGET_SUFFIX	""
#define SC_SITE_PREFIX		""
#define SC_SITE_ARCH_FLAGS	0
#define SC_GLOBAL_CALLS		0
#define SC_TAIL_ALIAS		0
#elif defined(STATICCALL_TARGET_POWERPC64)
#define SC_TARGET_SUFFIX	""
#define SC_SITE_PREFIX		""
/*
 * Every function holding a site saves r2 to 24(r1) in its prologue
 * (sc_toc_execute), so the runtime may bind a same-TOC target with a
 * direct bl (doc/arch-powerpc64.md).
 */
#define SC_SITE_ARCH_FLAGS	sc_toc_saved_flag()
/* Synthetic callees are global and "shortcall": bl + nop, never a sibcall. */
#define SC_GLOBAL_CALLS		1
#define SC_TAIL_ALIAS		0
#else
#error "define STATICCALL_TARGET_X86_64, _AARCH64 or _POWERPC64"
#endif

#define SC_SYNTH_ATTR	"staticcall site"	/* not spellable in source */
#define SC_SITE_PREFIX_NAME	"__staticcall_site."
#define SC_GLOBAL_PREFIX_NAME	"__staticcall_global."

enum sc_kind {
	SC_KIND_SITE = 1,	/* a recorded site of a key */
	SC_KIND_GLOBAL = 2,	/* powerpc64 global call form only */
};

/* One key (or global-call callee) used in this unit. */
struct sc_key {
	tree key;		/* FUNCTION_DECL, or VAR_DECL of a pointer key */
	tree target;		/* default target FUNCTION_DECL */
	tree synth;		/* synthetic callee */
	enum sc_kind kind;
	bool fnptr;
	bool has_sites;		/* a site was emitted: needs a key record */
	char *sym;		/* key record symbol */
};

static struct {
	bool all_keys;
	bool global_all;
	auto_vec<char *> key_names;
} sc_opt;

static const char sc_help[] =
	"staticcall " STATICCALL_VERSION ": patchable call sites\n"
	"  -fplugin-arg-staticcall-keys=f,g,...  calls to f, g are sites\n"
	"  -fplugin-arg-staticcall-keys=all      every direct call is a site\n"
	"  -fplugin-arg-staticcall-global-calls=all|none\n"
	"                                        powerpc64: bl f; nop for local f\n"
	"  -fplugin-arg-staticcall-help          print this\n"
	"  -fplugin-arg-staticcall-version       print the version\n"
	"Attributes: static_call (functions, function-pointer variables),\n"
	"static_call_global (functions).  Predefines __STATICCALL__.";

static struct plugin_info sc_info = {
	STATICCALL_VERSION,
	sc_help,
};

/* Trees the plugin keeps between passes: a GC root so they stay alive. */
static tree sc_roots;
static const struct ggc_root_tab sc_root_tab[] = {
	{ &sc_roots, 1, sizeof(sc_roots), &sc_gt_ggc_mx_tree, &sc_gt_pch_nx_tree },
	LAST_GGC_ROOT_TAB
};

static void sc_keep(tree t)
{
	sc_roots = tree_cons(NULL_TREE, t, sc_roots);
}

static hash_map<tree, sc_key *> *sc_by_key;	/* key (or callee) -> entry */
static hash_map<tree, sc_key *> *sc_by_synth;	/* synthetic decl -> entry */
static auto_vec<sc_key *> sc_keys;		/* in creation order */
static unsigned sc_label_no;

static const char *sc_asm_name(tree decl)
{
	return targetm.strip_name_encoding(
		IDENTIFIER_POINTER(DECL_ASSEMBLER_NAME(decl)));
}

/* ---- attributes ------------------------------------------------------ */

static bool sc_is_fnptr_type(tree type)
{
	return POINTER_TYPE_P(type) &&
	       FUNC_OR_METHOD_TYPE_P(TREE_TYPE(type));
}

/*
 * pure/const would let the front end fold two sites into one call
 * (f(x) + f(x) -> 2 * f(x)) before any pass runs: drop them from a key.
 */
static void sc_strip_pure_const(tree fndecl)
{
	if (!DECL_PURE_P(fndecl) && !TREE_READONLY(fndecl))
		return;
	warning_at(DECL_SOURCE_LOCATION(fndecl), OPT_Wattributes,
		   "%<pure%>/%<const%> on %qD is ignored at its "
		   "%<static_call%> sites: the target changes at run time",
		   fndecl);
	DECL_PURE_P(fndecl) = 0;
	TREE_READONLY(fndecl) = 0;
}

static tree sc_handle_static_call(tree *node, tree name, tree, int,
				  bool *no_add_attrs)
{
	tree decl = *node;

	if (TREE_CODE(decl) == FUNCTION_DECL) {
		sc_strip_pure_const(decl);
		return NULL_TREE;
	}
	if (VAR_P(decl) && sc_is_fnptr_type(TREE_TYPE(decl)) &&
	    (TREE_STATIC(decl) || DECL_EXTERNAL(decl)))
		return NULL_TREE;
	error("%qE attribute applies only to functions and to function-pointer "
	      "variables with static storage", name);
	*no_add_attrs = true;
	return NULL_TREE;
}

static tree sc_handle_static_call_global(tree *node, tree name, tree, int,
					 bool *no_add_attrs)
{
	if (TREE_CODE(*node) == FUNCTION_DECL)
		return NULL_TREE;
	error("%qE attribute applies only to functions", name);
	*no_add_attrs = true;
	return NULL_TREE;
}

static struct attribute_spec sc_attr_static_call;
static struct attribute_spec sc_attr_static_call_global;

static void sc_fill_attr(struct attribute_spec *spec, const char *name,
			 tree (*handler)(tree *, tree, tree, int, bool *))
{
	/* Field by field: new GCC fields keep their zero default. */
	memset(spec, 0, sizeof(*spec));
	spec->name = name;
	spec->min_length = 0;
	spec->max_length = 0;
	spec->decl_required = true;
	spec->type_required = false;
	spec->function_type_required = false;
	spec->affects_type_identity = false;
	spec->handler = handler;
	spec->exclude = NULL;
}

static void sc_register_attributes(void *, void *)
{
	sc_fill_attr(&sc_attr_static_call, "static_call",
		     sc_handle_static_call);
	sc_fill_attr(&sc_attr_static_call_global, "static_call_global",
		     sc_handle_static_call_global);
	register_attribute(&sc_attr_static_call);
	register_attribute(&sc_attr_static_call_global);
}

/* ---- which calls are sites ------------------------------------------- */

static bool sc_has_attr(tree decl, const char *name)
{
	return lookup_attribute(name, DECL_ATTRIBUTES(decl)) != NULL_TREE;
}

static bool sc_is_synth(tree decl)
{
	return TREE_CODE(decl) == FUNCTION_DECL &&
	       sc_has_attr(decl, SC_SYNTH_ATTR);
}

static bool sc_named_key(tree fndecl)
{
	const char *src = DECL_NAME(fndecl) ?
		IDENTIFIER_POINTER(DECL_NAME(fndecl)) : "";
	const char *as = sc_asm_name(fndecl);
	unsigned i;
	char *name;

	FOR_EACH_VEC_ELT(sc_opt.key_names, i, name)
		if (!strcmp(name, src) || !strcmp(name, as))
			return true;
	return false;
}

/* A callee GCC must be able to see through is never made a site. */
static bool sc_can_be_site(tree fndecl)
{
	return !fndecl_built_in_p(fndecl) && !DECL_STATIC_CHAIN(fndecl) &&
	       !sc_has_attr(fndecl, "always_inline") &&
	       !DECL_IS_RETURNS_TWICE(fndecl);
}

static bool sc_is_function_key(tree fndecl)
{
	if (sc_has_attr(fndecl, "static_call"))
		return true;
	if (!sc_can_be_site(fndecl))
		return false;
	return sc_opt.all_keys || sc_named_key(fndecl);
}

static bool sc_wants_global_call(tree fndecl)
{
	if (!SC_GLOBAL_CALLS)
		return false;
	if (fndecl_built_in_p(fndecl) || DECL_STATIC_CHAIN(fndecl))
		return false;
	if (!sc_has_attr(fndecl, "static_call_global") && !sc_opt.global_all)
		return false;
	/* Only a callee GCC would call locally needs the global form. */
	return targetm.binds_local_p(fndecl);
}

static bool sc_is_fnptr_key(tree t)
{
	return t && VAR_P(t) && sc_has_attr(t, "static_call");
}

/* ---- synthetic callees ----------------------------------------------- */

/*
 * A static variable holding &decl: the key record references decl from
 * assembly GCC does not see, so without it a static target whose every
 * call became a site would be removed, or its signature changed by IPA.
 */
static void sc_add_reference(tree decl)
{
	static unsigned n;
	char name[64];
	tree var, init;

	snprintf(name, sizeof(name), "__staticcall_ref.%u", n++);
	var = build_decl(DECL_SOURCE_LOCATION(decl), VAR_DECL,
			 get_identifier(name), ptr_type_node);
	SET_DECL_ASSEMBLER_NAME(var, DECL_NAME(var));
	TREE_STATIC(var) = 1;
	TREE_PUBLIC(var) = 0;
	TREE_USED(var) = 1;
	DECL_ARTIFICIAL(var) = 1;
	DECL_IGNORED_P(var) = 1;
	DECL_PRESERVE_P(var) = 1;
	TREE_ADDRESSABLE(decl) = 1;
	init = fold_convert(ptr_type_node, build_fold_addr_expr(decl));
	DECL_INITIAL(var) = init;
	varpool_node::finalize_decl(var);
}

static char *sc_key_symbol(tree key)
{
	static unsigned n;
	const char *as = sc_asm_name(key);

	if (TREE_PUBLIC(key))
		return concat(STATICCALL_KEY_SYMBOL_PREFIX, as, NULL);
	/* Internal linkage: a local record, unique within the unit. */
	char num[32];
	snprintf(num, sizeof(num), ".%u", n++);
	return concat(STATICCALL_KEY_SYMBOL_PREFIX, as, num, NULL);
}

static sc_key *sc_new_entry(tree key, tree target, tree synth,
			    enum sc_kind kind)
{
	sc_key *k = XCNEW(sc_key);

	k->key = key;
	k->target = target;
	k->synth = synth;
	k->kind = kind;
	k->fnptr = VAR_P(key);
	k->sym = kind == SC_KIND_SITE ? sc_key_symbol(key) : NULL;
	sc_keep(key);
	sc_keep(target);
	sc_keep(synth);
	sc_keys.safe_push(k);
	sc_by_synth->put(synth, k);
	return k;
}

static void sc_warn_contradictions(tree fndecl)
{
	location_t loc = DECL_SOURCE_LOCATION(fndecl);

	if (!sc_has_attr(fndecl, "static_call"))
		return;
	if (sc_has_attr(fndecl, "always_inline"))
		warning_at(loc, OPT_Wattributes,
			   "%<always_inline%> contradicts %<static_call%> on "
			   "%qD: its calls are sites, never inlined", fndecl);
	sc_strip_pure_const(fndecl);
}

/* Attributes listed after static_call (or on a later declaration). */
static void sc_finish_decl(void *gcc_data, void *)
{
	tree decl = (tree)gcc_data;

	if (decl && TREE_CODE(decl) == FUNCTION_DECL &&
	    sc_has_attr(decl, "static_call"))
		sc_strip_pure_const(decl);
}

/*
 * The C++ front end marks a function nothrow when its body cannot throw
 * and then builds later callers without EH edges; a key's next target may
 * throw, so a key stays nothrow only when it was declared so (an exception
 * specification, which C++ keeps in TYPE_LANG_SLOT_1, or nothrow).
 * TREE_NOTHROW first: the front end sets it only outside templates, and a
 * template's pattern must never be mangled by sc_is_function_key.
 */
static void sc_finish_parse_function(void *gcc_data, void *)
{
	tree fn = (tree)gcc_data;

	if (fn && TREE_CODE(fn) == FUNCTION_DECL && TREE_NOTHROW(fn) &&
	    !TYPE_LANG_SLOT_1(TREE_TYPE(fn)) && !sc_has_attr(fn, "nothrow") &&
	    sc_is_function_key(fn))
		TREE_NOTHROW(fn) = 0;
}

/*
 * What makes this unit's names unique in a link (two units' static f must
 * not merge) and the same in every compilation of it, so that objects are
 * reproducible: a hash of the unit's first public definition (what GCC
 * names static constructors after) mixed with -frandom-seed (or the seed
 * GCC already drew), so that one -frandom-seed given to every unit still
 * gives each its own names; a random seed only when there is neither.
 */
static unsigned long sc_unit_seed(void)
{
	static unsigned long seed;
	symtab_node *node, *first = NULL;

	if (seed)
		return seed;
	FOR_EACH_SYMBOL(node)
		if (node->definition && TREE_PUBLIC(node->decl) &&
		    !DECL_WEAK(node->decl) && !DECL_COMDAT(node->decl) &&
		    (!first || node->order < first->order))
			first = node;
	seed = (unsigned long)get_random_seed(true);
	if (first)
		seed ^= crc32_string(0x5c5c, first->asm_name());
	if (!seed)
		seed = (unsigned long)get_random_seed(false);
	return seed;
}

static tree sc_synth_name(tree key, enum sc_kind kind)
{
	const char *prefix = kind == SC_KIND_SITE ?
		SC_SITE_PREFIX_NAME : SC_GLOBAL_PREFIX_NAME;
	char *s;
	tree id;

	if (TREE_PUBLIC(key)) {
		s = concat(prefix, sc_asm_name(key), NULL);
	} else {
		/* Two units' static f must not merge under LTO. */
		char seed[40];
		snprintf(seed, sizeof(seed), ".%lx", sc_unit_seed());
		s = concat(prefix, sc_asm_name(key), seed, NULL);
	}
	id = get_identifier(s);
	free(s);
	return id;
}

/*
 * rs6000 reads longcall/shortcall from the call's type: with shortcall a
 * site is bl + nop whatever -mlongcall says, and never a sibcall.
 */
static tree sc_call_type(tree fntype)
{
	if (!SC_GLOBAL_CALLS ||
	    lookup_attribute("shortcall", TYPE_ATTRIBUTES(fntype)))
		return fntype;
	return build_type_attribute_variant(fntype,
		tree_cons(get_identifier("shortcall"), NULL_TREE,
			  TYPE_ATTRIBUTES(fntype)));
}

/*
 * The synthetic callee of KEY: external, no body, the call's type.  It
 * keeps noreturn and nothrow (the CFG and EH regions were built on them)
 * and drops pure/const (a later target may have side effects).
 */
static sc_key *sc_get_synth(tree key, tree target, tree fntype,
			    enum sc_kind kind)
{
	sc_key **slot = sc_by_key->get(key);
	tree synth, args;

	if (slot && (*slot)->kind == kind)
		return *slot;
	fntype = sc_call_type(fntype);
	synth = build_decl(DECL_SOURCE_LOCATION(key), FUNCTION_DECL,
			   sc_synth_name(key, kind), fntype);
	/* Named here: the C++ mangler cannot mangle a decl it did not make. */
	SET_DECL_ASSEMBLER_NAME(synth, DECL_NAME(synth));
	DECL_EXTERNAL(synth) = 1;
	TREE_PUBLIC(synth) = 1;
	DECL_ARTIFICIAL(synth) = 1;
	DECL_IGNORED_P(synth) = 1;
	if (TREE_CODE(key) == FUNCTION_DECL) {
		TREE_NOTHROW(synth) = TREE_NOTHROW(key);
		TREE_THIS_VOLATILE(synth) = TREE_THIS_VOLATILE(key);
	}
	args = tree_cons(NULL_TREE, key,
			 tree_cons(NULL_TREE, target,
				   build_tree_list(NULL_TREE,
					build_int_cst(integer_type_node, kind))));
	DECL_ATTRIBUTES(synth) = tree_cons(get_identifier(SC_SYNTH_ATTR), args,
					   NULL_TREE);
	if (!SC_GLOBAL_CALLS) {
		/* Hidden: a direct call even with -fPIC, -fpie, -fno-plt. */
		DECL_VISIBILITY(synth) = VISIBILITY_HIDDEN;
		DECL_VISIBILITY_SPECIFIED(synth) = 1;
	}
	sc_add_reference(key);
	if (target != key)
		sc_add_reference(target);
	if (TREE_CODE(key) == FUNCTION_DECL)
		sc_warn_contradictions(key);
	sc_key *k = sc_new_entry(key, target, synth, kind);
	if (!slot || kind == SC_KIND_SITE)
		sc_by_key->put(key, k);
	return k;
}

/* The entry of a synthetic decl, rebuilt from its attribute under LTO. */
static sc_key *sc_entry_of_synth(tree synth)
{
	sc_key **slot = sc_by_synth->get(synth);
	tree attr, args;

	if (slot)
		return *slot;
	attr = lookup_attribute(SC_SYNTH_ATTR, DECL_ATTRIBUTES(synth));
	if (!attr)
		return NULL;
	args = TREE_VALUE(attr);
	return sc_new_entry(TREE_VALUE(args), TREE_VALUE(TREE_CHAIN(args)),
			    synth, (enum sc_kind)tree_to_shwi(
				TREE_VALUE(TREE_CHAIN(TREE_CHAIN(args)))));
}

/* ---- GIMPLE pass: redirect calls to keys ----------------------------- */

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

static void sc_call_synth(gcall *call, sc_key *k)
{
	gimple_call_set_fndecl(call, k->synth);
	/* The call keeps its own type (a cast may differ from the key's). */
	gimple_call_set_fntype(call, sc_call_type(gimple_call_fntype(call)));
	update_stmt(call);
}

static void sc_redirect_fnptr_call(gimple_stmt_iterator *gsi, gcall *call,
				   tree var)
{
	tree target = sc_fnptr_initial(var);
	tree fntype = TREE_TYPE(TREE_TYPE(var));

	if (!target) {
		error_at(gimple_location(call),
			 "call through %qD cannot be a %<static_call%> site: "
			 "the static initializer of the variable (a function) "
			 "is not visible in this translation unit", var);
		return;
	}
	sc_key *k = sc_get_synth(var, target, fntype, SC_KIND_SITE);
	sc_call_synth(call, k);
	sc_add_lto_refs(gsi, k);
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
	if (sc_is_function_key(fndecl))
		kind = SC_KIND_SITE;
	else if (sc_wants_global_call(fndecl))
		kind = SC_KIND_GLOBAL;
	else
		return;
	sc_key *k = sc_get_synth(fndecl, fndecl, TREE_TYPE(fndecl), kind);
	sc_call_synth(call, k);
	sc_add_lto_refs(gsi, k);
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

static unsigned int sc_gimple_execute(function *fun)
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

static const pass_data sc_gimple_pass_data = {
	GIMPLE_PASS,		/* type */
	"staticcall_sites",	/* name */
	OPTGROUP_NONE,		/* optinfo_flags */
	TV_NONE,		/* tv_id */
	PROP_cfg,		/* properties_required */
	0,			/* properties_provided */
	0,			/* properties_destroyed */
	0,			/* todo_flags_start */
	0,			/* todo_flags_finish */
};

class sc_gimple_pass : public gimple_opt_pass {
public:
	sc_gimple_pass(gcc::context *ctxt)
		: gimple_opt_pass(sc_gimple_pass_data, ctxt) {}
	unsigned int execute(function *fun) final override
	{
		return sc_gimple_execute(fun);
	}
};

/* ---- RTL pass: name the target, record the site ---------------------- */

static sc_key *sc_entry_of_rtx(const_rtx x)
{
	tree decl;

	/* A renamed site ("*f...") keeps the synthetic decl: not a use. */
	if (!SYMBOL_REF_P(x) || XSTR(x, 0)[0] == '*')
		return NULL;
	decl = SYMBOL_REF_DECL(x);
	if (!decl || !sc_is_synth(decl))
		return NULL;
	return sc_entry_of_synth(decl);
}

#if defined(STATICCALL_TARGET_POWERPC64)
/* TOC_SAVED when this function's prologue saves r2 (sc_toc_execute). */
static unsigned sc_toc_saved_flag(void)
{
	if (cfun->machine->save_toc_in_prologue &&
	    !cfun->machine->toc_is_wrapped_separately && !cfun->calls_alloca)
		return STATICCALL_SITE_TOC_SAVED;
	return 0;
}
#endif

static unsigned sc_site_flags(const rtx_insn *insn)
{
	unsigned flags = SC_SITE_ARCH_FLAGS;
	const char *sec = DECL_SECTION_NAME(current_function_decl);

	if (SIBLING_CALL_P(insn))
		flags |= STATICCALL_SITE_TAIL;
	if (sec && startswith(sec, ".init.text"))
		flags |= STATICCALL_SITE_INIT;
	return flags;
}

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

	if (!SC_TAIL_ALIAS || !SIBLING_CALL_P(insn) || k->kind != SC_KIND_SITE)
		return NULL;
	if (TREE_PUBLIC(t) && DECL_VISIBILITY(t) == VISIBILITY_DEFAULT)
		return NULL;
	return xasprintf("__staticcall_tail.%s.%u.%lx", sc_asm_name(t), n++,
			 sc_unit_seed());
}

/*
 * powerpc64: a TOC_SAVED site is emitted as bl f; ld 2,24(1), the r2
 * restore the runtime wrote at registration before (doc/arch-powerpc64.md,
 * "r2 and the TOC"), so start-up writes no text: GCC's call template
 * prints "nop" after the bl, which an assembler macro of that name, live
 * from the record to just after the call, turns into the restore.
 */
static void sc_emit_restore(rtx_insn *insn, unsigned flags, const char **mac)
{
	*mac = "";
#if defined(STATICCALL_TARGET_POWERPC64)
	if (flags & STATICCALL_SITE_TOC_SAVED) {
		rtx purge = gen_rtx_ASM_INPUT_loc(VOIDmode, "\t.purgem nop",
						  INSN_LOCATION(insn));

		MEM_VOLATILE_P(purge) = 1;
		emit_insn_after(purge, insn);
		*mac = "\t.macro nop\n\tld 2,24(1)\n\t.endm\n";
	}
#else
	(void)insn;
	(void)flags;
#endif
}

static void sc_emit_site_record(rtx_insn *insn, sc_key *k, const char *alias)
{
	unsigned n = sc_label_no++, flags = sc_site_flags(insn);
	const char *mac;
	char *def = alias ? xasprintf("\t.weak %s\n\t.hidden %s\n\t.set %s, %s\n",
				      alias, alias, alias,
				      sc_asm_name(k->target)) : xstrdup("");
	char *text;

	sc_emit_restore(insn, flags, &mac);
	text = xasprintf(
		"%s"
		SC_SITE_PREFIX
		".Lscsite%u:\n"
		"\t.pushsection " STATICCALL_SITES_SECTION_STR
			",\"aR?\",%%progbits\n"
		"\t.balign 8\n"
		"\t.long .Lscsite%u - .\n"
		"\t.long %s - . + 4 + %u\n"
		"\t.popsection\n"
		STATICCALL_INDEX_SLOT_ASM("?", "%%")
		"%s",
		def, n, n, k->sym, flags, mac);
	rtx asm_rtx = gen_rtx_ASM_INPUT_loc(VOIDmode, ggc_strdup(text),
					    INSN_LOCATION(insn));

	free(text);
	free(def);
	MEM_VOLATILE_P(asm_rtx) = 1;
	emit_insn_before(asm_rtx, insn);
	k->has_sites = true;
}

static rtx sc_target_symbol(sc_key *k, const char *alias)
{
	const char *suffix = k->kind == SC_KIND_SITE ? SC_TARGET_SUFFIX : "";
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

static void sc_rewrite_call(rtx_insn *insn)
{
	rtx call = get_call_rtx_from(insn);
	rtx mem, addr;
	sc_key *k;
	char *alias;

	if (!call)
		return;
	mem = XEXP(call, 0);
	if (!MEM_P(mem))
		return;
	addr = XEXP(mem, 0);
	k = sc_entry_of_rtx(addr);
	if (!k)
		return;
	alias = sc_tail_alias(insn, k);
	XEXP(mem, 0) = sc_target_symbol(k, alias);
	if (k->kind == SC_KIND_SITE)
		sc_emit_site_record(insn, k, alias);
	free(alias);
}

static void sc_not_direct_error(const rtx_insn *insn, sc_key *k)
{
#if defined(STATICCALL_TARGET_X86_64)
	error_at(INSN_LOCATION(insn),
		 "call to %qD cannot be patched: it is not a direct call "
		 "(with %<-mcmodel=large%> a rel32 call cannot promise to "
		 "reach its target; use %<-mcmodel=medium%> or "
		 "%<-mcmodel=small%>)", k->key);
#else
	error_at(INSN_LOCATION(insn),
		 "call to %qD cannot be patched: the compiler did not emit "
		 "it as a direct call", k->key);
#endif
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

static unsigned int sc_rtl_execute(function *)
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

static const pass_data sc_rtl_pass_data = {
	RTL_PASS,		/* type */
	"staticcall_record",	/* name */
	OPTGROUP_NONE,		/* optinfo_flags */
	TV_NONE,		/* tv_id */
	0,			/* properties_required */
	0,			/* properties_provided */
	0,			/* properties_destroyed */
	0,			/* todo_flags_start */
	0,			/* todo_flags_finish */
};

class sc_rtl_pass : public rtl_opt_pass {
public:
	sc_rtl_pass(gcc::context *ctxt)
		: rtl_opt_pass(sc_rtl_pass_data, ctxt) {}
	unsigned int execute(function *fun) final override
	{
		return sc_rtl_execute(fun);
	}
};

/*
 * powerpc64 -fno-plt makes GCC call every external function through an
 * inline PLT sequence (mtctr; bctrl), shortcall or not.  Sites need bl, so
 * flag_plt is turned back on around "expand" (other calls then go through
 * the usual PLT stub: same behaviour, one more branch).
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

static const pass_data sc_plt_on_data = {
	GIMPLE_PASS, "staticcall_plt_on", OPTGROUP_NONE, TV_NONE,
	0, 0, 0, 0, 0,
};

static const pass_data sc_plt_restore_data = {
	RTL_PASS, "staticcall_plt_restore", OPTGROUP_NONE, TV_NONE,
	0, 0, 0, 0, 0,
};

class sc_plt_on_pass : public gimple_opt_pass {
public:
	sc_plt_on_pass(gcc::context *ctxt)
		: gimple_opt_pass(sc_plt_on_data, ctxt) {}
	unsigned int execute(function *fun) final override
	{
		return sc_plt_on(fun);
	}
};

class sc_plt_restore_pass : public rtl_opt_pass {
public:
	sc_plt_restore_pass(gcc::context *ctxt)
		: rtl_opt_pass(sc_plt_restore_data, ctxt) {}
	unsigned int execute(function *fun) final override
	{
		return sc_plt_restore(fun);
	}
};

/*
 * powerpc64: a site's record says STATICCALL_SITE_TOC_SAVED, the promise
 * that r2 is in the caller's TOC save slot 24(r1) whenever the site runs,
 * so the runtime may turn a call to a same-TOC target into a direct bl
 * (the ld r2,24(r1) after it then reloads what the prologue saved).  GCC
 * saves r2 in the prologue when cfun->machine->save_toc_in_prologue is set
 * (it does so itself for some indirect calls), but separate shrink-wrapping
 * may move that save (component 2) into only the blocks where r2 is live,
 * set or used, or drop it: here the component is taken out of what may be
 * wrapped separately, for functions with sites only, so the std stays in
 * the prologue that every path to a site passes.  Other components (GPR,
 * LR saves) are still wrapped.
 */
#if defined(STATICCALL_TARGET_POWERPC64)
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

static const pass_data sc_toc_data = {
	RTL_PASS, "staticcall_toc_save", OPTGROUP_NONE, TV_NONE,
	0, 0, 0, 0, 0,
};

class sc_toc_pass : public rtl_opt_pass {
public:
	sc_toc_pass(gcc::context *ctxt)
		: rtl_opt_pass(sc_toc_data, ctxt) {}
	unsigned int execute(function *fun) final override
	{
		return sc_toc_execute(fun);
	}
};
#endif

/* ---- key records ----------------------------------------------------- */

static void sc_emit_key_record(FILE *f, sc_key *k)
{
	unsigned n = sc_label_no++;
	unsigned flags = 0;
	tree fntype = TREE_TYPE(k->synth);

	if (k->fnptr)
		flags |= STATICCALL_KEY_FNPTR;
	if (VOID_TYPE_P(TREE_TYPE(fntype)))
		flags |= STATICCALL_KEY_VOID;
	if (TREE_PUBLIC(k->key)) {
		fprintf(f, "\t.pushsection " STATICCALL_KEYS_SECTION_STR
			",\"awG\",%%progbits,%s,comdat\n", k->sym);
		fprintf(f, "\t.globl %s\n\t.hidden %s\n", k->sym, k->sym);
	} else {
		fprintf(f, "\t.pushsection " STATICCALL_KEYS_SECTION_STR
			",\"aw\",%%progbits\n");
	}
	fprintf(f, "\t.balign 8\n\t.type %s, %%object\n\t.size %s, %d\n%s:\n",
		k->sym, k->sym, STATICCALL_KEY_REC_SIZE, k->sym);
	fprintf(f, "\t.long %#x\n\t.short %d, %u\n", STATICCALL_KEY_MAGIC,
		STATICCALL_ABI_VERSION, flags);
	fprintf(f, "\t.long .Lsckeyname%u - .\n\t.long 0\n\t.quad ", n);
	assemble_name(f, sc_asm_name(k->key));
	fprintf(f, "\n\t.quad ");
	assemble_name(f, sc_asm_name(k->target));
	fprintf(f, "\n\t.quad 0, 0, 0, 0\n");
	/* The name travels with the record (same COMDAT group). */
	if (TREE_PUBLIC(k->key))
		fprintf(f, "\t.section .rodata.staticcall_names,\"aG\","
			"%%progbits,%s,comdat\n", k->sym);
	else
		fprintf(f, "\t.section .rodata.staticcall_names,\"a\","
			"%%progbits\n");
	fprintf(f, ".Lsckeyname%u:\n\t.string \"%s\"\n\t.popsection\n", n,
		sc_asm_name(k->key));
}

static void sc_finish_unit(void *, void *)
{
	unsigned i;
	sc_key *k;

	if (!asm_out_file || seen_error())
		return;
	FOR_EACH_VEC_ELT(sc_keys, i, k)
		if (k->has_sites)
			sc_emit_key_record(asm_out_file, k);
}

/* ---- predefined macro ------------------------------------------------ */

static void sc_define_macro(void *, void *)
{
	unsigned major = 0, minor = 0, patch = 0;
	char def[64];

	if (!parse_in || !cpp_define || !cpp_get_options)
		return;
	/* -fpreprocessed (-save-temps): the macro was expanded by -E. */
	if (cpp_get_options(parse_in)->preprocessed)
		return;
	sscanf(STATICCALL_VERSION, "%u.%u.%u", &major, &minor, &patch);
	snprintf(def, sizeof(def), "__STATICCALL__=%u",
		 major * 10000 + minor * 100 + patch);
	cpp_define(parse_in, def);
}

/* ---- options ---------------------------------------------------------- */

static bool sc_parse_keys(const char *value)
{
	char *copy, *tok, *save;

	if (!value || !*value) {
		error("staticcall: %<keys%> needs a value: "
		      "%<keys=f,g,...%> or %<keys=all%>");
		return false;
	}
	if (!strcmp(value, "all")) {
		sc_opt.all_keys = true;
		return true;
	}
	copy = xstrdup(value);
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save))
		sc_opt.key_names.safe_push(xstrdup(tok));
	free(copy);
	return true;
}

static bool sc_parse_global_calls(const char *value)
{
	if (value && !strcmp(value, "all")) {
		sc_opt.global_all = true;
		return true;
	}
	if (value && !strcmp(value, "none")) {
		sc_opt.global_all = false;
		return true;
	}
	error("staticcall: invalid value %qs for %<global-calls%>; valid "
	      "values: %<all%>, %<none%>", value ? value : "");
	return false;
}

static bool sc_parse_args(const struct plugin_name_args *info)
{
	bool ok = true;

	for (int i = 0; i < info->argc; i++) {
		const char *key = info->argv[i].key;
		const char *value = info->argv[i].value;

		if (!strcmp(key, "keys"))
			ok &= sc_parse_keys(value);
		else if (!strcmp(key, "global-calls"))
			ok &= sc_parse_global_calls(value);
		else if (!strcmp(key, "help"))
			inform(UNKNOWN_LOCATION, "%s", sc_help);
		else if (!strcmp(key, "version"))
			inform(UNKNOWN_LOCATION, "staticcall %s",
			       STATICCALL_VERSION);
		else {
			error("staticcall: unknown option "
			      "%<-fplugin-arg-%s-%s%>; valid options: "
			      "%<keys=f,g,...|all%>, %<global-calls=all|none%>, "
			      "%<help%>, %<version%>", info->base_name, key);
			ok = false;
		}
	}
	return ok;
}

static void sc_register_passes(const char *name)
{
	struct register_pass_info gimple_info, rtl_info;

	gimple_info.pass = new sc_gimple_pass(g);
	gimple_info.reference_pass_name = "cfg";
	gimple_info.ref_pass_instance_number = 1;
	gimple_info.pos_op = PASS_POS_INSERT_AFTER;
	register_callback(name, PLUGIN_PASS_MANAGER_SETUP, NULL, &gimple_info);

	rtl_info.pass = new sc_rtl_pass(g);
	rtl_info.reference_pass_name = "shorten";
	rtl_info.ref_pass_instance_number = 1;
	rtl_info.pos_op = PASS_POS_INSERT_BEFORE;
	register_callback(name, PLUGIN_PASS_MANAGER_SETUP, NULL, &rtl_info);

#if defined(STATICCALL_TARGET_POWERPC64)
	{
		struct register_pass_info toc_info;

		toc_info.pass = new sc_toc_pass(g);
		toc_info.reference_pass_name = "expand";
		toc_info.ref_pass_instance_number = 1;
		toc_info.pos_op = PASS_POS_INSERT_AFTER;
		register_callback(name, PLUGIN_PASS_MANAGER_SETUP, NULL,
				  &toc_info);
		if (targetm.shrink_wrap.get_separate_components &&
		    !sc_orig_separate) {
			sc_orig_separate = targetm.shrink_wrap.get_separate_components;
			targetm.shrink_wrap.get_separate_components =
				sc_get_separate_components;
		}
	}
#endif
	if (SC_GLOBAL_CALLS && !flag_plt) {
		struct register_pass_info on_info, off_info;

		on_info.pass = new sc_plt_on_pass(g);
		on_info.reference_pass_name = "optimized";
		on_info.ref_pass_instance_number = 1;
		on_info.pos_op = PASS_POS_INSERT_AFTER;
		register_callback(name, PLUGIN_PASS_MANAGER_SETUP, NULL,
				  &on_info);
		off_info.pass = new sc_plt_restore_pass(g);
		off_info.reference_pass_name = "expand";
		off_info.ref_pass_instance_number = 1;
		off_info.pos_op = PASS_POS_INSERT_AFTER;
		register_callback(name, PLUGIN_PASS_MANAGER_SETUP, NULL,
				  &off_info);
	}
}

int plugin_init(struct plugin_name_args *info,
		struct plugin_gcc_version *version)
{
	const char *name = info->base_name;

	if (!plugin_default_version_check(version, &gcc_version)) {
		error("staticcall: built for GCC %s, loaded by GCC %s",
		      gcc_version.basever, version->basever);
		return 1;
	}
	if (!sc_parse_args(info))
		return 1;

	sc_by_key = new hash_map<tree, sc_key *>;
	sc_by_synth = new hash_map<tree, sc_key *>;
	ggc_register_root_tab(sc_root_tab);

	register_callback(name, PLUGIN_INFO, NULL, &sc_info);
	register_callback(name, PLUGIN_ATTRIBUTES, sc_register_attributes,
			  NULL);
	register_callback(name, PLUGIN_PRAGMAS, sc_define_macro, NULL);
	register_callback(name, PLUGIN_FINISH_UNIT, sc_finish_unit, NULL);
	register_callback(name, PLUGIN_FINISH_DECL, sc_finish_decl, NULL);
	register_callback(name, PLUGIN_FINISH_PARSE_FUNCTION,
			  sc_finish_parse_function, NULL);
	sc_register_passes(name);
	return 0;
}
