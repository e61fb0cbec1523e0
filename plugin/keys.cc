/*
 * keys.cc - which calls are sites, and the synthetic callee of each key.
 *
 * The site rule (doc/plugin.md, "Which callees can be sites"): a callee
 * that GCC compiles its callers for specially, and that a call through an
 * opaque declaration would hide, is never a site.  keys=all skips such a
 * callee silently; a static_call attribute or a keys= name that asks for
 * it is a located error (attribs.cc, gimple-pass.cc).
 *
 * A key's calls are redirected to "__staticcall_site.<key>", an external
 * declaration with no body (GCC cannot inline, clone or analyse through
 * it), which carries the key, the default target and the kind in an
 * internal attribute so that LTO streaming keeps them.  It keeps from the
 * key what the caller's CFG was built on (noreturn, nothrow) and what only
 * serves the caller's diagnostics, ABI and layout; it drops every promise
 * about what the callee does or returns, since the target may change.
 */
#include "staticcall-plugin.h"

/* Trees the plugin keeps between passes: a GC root so they stay alive. */
static tree sc_roots;
static const struct ggc_root_tab sc_root_tab[] = {
	{ &sc_roots, 1, sizeof(sc_roots), &sc_gt_ggc_mx_tree, &sc_gt_pch_nx_tree },
	LAST_GGC_ROOT_TAB
};

static hash_map<tree, sc_key *> *sc_by_key;	/* key (or callee) -> entry */
static hash_map<tree, sc_key *> *sc_by_synth;	/* synthetic decl -> entry */
static auto_vec<sc_key *> sc_keys;		/* in creation order */

void sc_keys_init(void)
{
	sc_by_key = new hash_map<tree, sc_key *>;
	sc_by_synth = new hash_map<tree, sc_key *>;
	ggc_register_root_tab(sc_root_tab);
}

const vec<sc_key *> &sc_all_keys(void)
{
	return sc_keys;
}

static void sc_keep(tree t)
{
	sc_roots = tree_cons(NULL_TREE, t, sc_roots);
}

const char *sc_asm_name(tree decl)
{
	return targetm.strip_name_encoding(
		IDENTIFIER_POINTER(DECL_ASSEMBLER_NAME(decl)));
}

bool sc_has_attr(tree decl, const char *name)
{
	return lookup_attribute(name, DECL_ATTRIBUTES(decl)) != NULL_TREE;
}

bool sc_is_synth(tree decl)
{
	return TREE_CODE(decl) == FUNCTION_DECL &&
	       sc_has_attr(decl, SC_SYNTH_ATTR);
}

bool sc_is_fnptr_key(tree t)
{
	return t && VAR_P(t) && sc_has_attr(t, "static_call");
}

/* ---- the site rule ---------------------------------------------------- */

/* GCC's test for a function it knows by name (calls.cc special_function_p). */
static bool sc_file_scope_public(tree fndecl)
{
	return DECL_NAME(fndecl) && TREE_PUBLIC(fndecl) &&
	       (!DECL_CONTEXT(fndecl) ||
		TREE_CODE(DECL_CONTEXT(fndecl)) == TRANSLATION_UNIT_DECL);
}

/*
 * Why calls to FNDECL can never be sites, or NULL.  Each reason is a
 * property GCC reads from the callee's declaration while it compiles the
 * caller, which the synthetic callee cannot carry without lying.
 */
const char *sc_callee_refusal(tree fndecl)
{
	/* The attribute, or a name GCC knows: setjmp, _setjmp, __sigsetjmp,
	 * sigsetjmp, savectx, vfork, getcontext (calls.cc). */
	if (setjmp_call_p(fndecl) || sc_has_attr(fndecl, "returns_twice"))
		return "it returns twice (like setjmp, vfork and getcontext): "
		       "its callers are compiled for that, which a call "
		       "through another declaration would not be";
	if (sc_file_scope_public(fndecl) &&
	    !strcmp(IDENTIFIER_POINTER(DECL_NAME(fndecl)), "alloca"))
		return "GCC treats a function named alloca as allocating in "
		       "its caller's frame";
	if (DECL_STATIC_CHAIN(fndecl))
		return "it is a nested function, called with a static chain";
	if (sc_has_attr(fndecl, "ifunc"))
		return "it is an ifunc: the dynamic linker chooses its target";
	if (sc_has_attr(fndecl, "target_clones") ||
	    sc_has_attr(fndecl, "target_version"))
		return "it is a multiversioned function: a resolver chooses "
		       "its target";
	return NULL;
}

/* Why no call in CALLER can be a site, or NULL. */
const char *sc_caller_refusal(tree caller)
{
	const char *sec;

	if (!caller)
		return NULL;
	if (sc_has_attr(caller, "naked"))
		return "the caller is a naked function (no prologue: nothing "
		       "GCC would save around a call can be relied on)";
	sec = DECL_SECTION_NAME(caller);
	if (sec && (!strcmp(sec, ".init") || !strcmp(sec, ".fini")))
		return "the caller is in .init/.fini, pieces of _init/_fini "
		       "that run before a runtime can register the object or "
		       "after it is gone";
	return NULL;
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

/* Which keys= names a function declared or defined in the unit matched. */
static auto_vec<bool> sc_name_matched;

void sc_keys_seen(tree fndecl)
{
	const char *src, *as;
	unsigned i;
	char *name;

	if (sc_opt.key_names.is_empty() || TREE_CODE(fndecl) != FUNCTION_DECL ||
	    !DECL_NAME(fndecl))
		return;
	if (sc_name_matched.is_empty())
		sc_name_matched.safe_grow_cleared(sc_opt.key_names.length());
	src = IDENTIFIER_POINTER(DECL_NAME(fndecl));
	as = DECL_ASSEMBLER_NAME_SET_P(fndecl) ? sc_asm_name(fndecl) : src;
	FOR_EACH_VEC_ELT(sc_opt.key_names, i, name)
		if (!strcmp(name, src) || !strcmp(name, as))
			sc_name_matched[i] = true;
}

/*
 * A keys= name that no function of the unit has is most likely a typo
 * (keys=twic): said once per unit, as a warning (an error with
 * unmatched-keys=error, nothing with unmatched-keys=none, for a flag
 * given to every unit of a project).  Not under LTO: the unit's
 * declarations were seen when it was compiled.
 */
void sc_keys_check_unmatched(void)
{
	cgraph_node *node;
	unsigned i;
	char *name;

	if (sc_opt.key_names.is_empty() || in_lto_p ||
	    sc_opt.unmatched == SC_UNMATCHED_NONE)
		return;
	FOR_EACH_FUNCTION(node)
		sc_keys_seen(node->decl);
	if (sc_name_matched.is_empty())
		sc_name_matched.safe_grow_cleared(sc_opt.key_names.length());
	FOR_EACH_VEC_ELT(sc_opt.key_names, i, name) {
		if (sc_name_matched[i])
			continue;
		if (sc_opt.unmatched == SC_UNMATCHED_ERROR)
			error_at(UNKNOWN_LOCATION, "staticcall: %<keys=%s%>: no "
				 "function of that name in this unit", name);
		else
			warning_at(UNKNOWN_LOCATION, 0, "staticcall: "
				   "%<keys=%s%>: no function of that name in "
				   "this unit (a misspelling? "
				   "%<-fplugin-arg-staticcall-unmatched-keys="
				   "none%> silences this)", name);
	}
}

/* Asked for by the source or by name: refusals are errors. */
bool sc_explicit_key(tree fndecl)
{
	return sc_has_attr(fndecl, "static_call") || sc_named_key(fndecl);
}

/*
 * keys=all: every direct call, except where the rule refuses, and where
 * GCC is entitled to see the callee: builtins (expanded inline), callees
 * that must be inlined, and const/pure callees, whose calls GCC may merge,
 * hoist or delete (so they are not stable sites; a test written to check
 * that, c-torture's pure-1, would break).  In kernel mode (linux), also
 * callees declared inline or defined in this unit: the kernel relies on
 * what GCC derives from their bodies.  Inlining (an inline helper outside
 * .init.text calling an __init function, a noinstr or user-access region
 * calling a helper: modpost and objtool reject the out-of-line call), and
 * constant propagation, const and noreturn discovery, which delete calls
 * and references to symbols a configuration does not link (an empty
 * apply_retpolines(__retpoline_sites, ...) without CONFIG_RETPOLINE).
 */
static bool sc_linux_leaves(tree fndecl)
{
	cgraph_node *node = cgraph_node::get(fndecl);

	return DECL_DECLARED_INLINE_P(fndecl) || (node && node->definition);
}

bool sc_keys_all_takes(tree fndecl, gcall *call)
{
	if (!sc_opt.all_keys)
		return false;
	if (fndecl_built_in_p(fndecl) || sc_has_attr(fndecl, "always_inline"))
		return false;
	if (TREE_READONLY(fndecl) || DECL_PURE_P(fndecl))
		return false;
	if (sc_opt.linux_mode && sc_linux_leaves(fndecl))
		return false;
	if (gimple_maybe_alloca_call_p(call))
		return false;
	return !sc_callee_refusal(fndecl) &&
	       !sc_caller_refusal(current_function_decl);
}

bool sc_wants_global_call(tree fndecl)
{
	if (!sc_target.global_calls)
		return false;
	if (fndecl_built_in_p(fndecl) || sc_callee_refusal(fndecl))
		return false;
	if (!sc_has_attr(fndecl, "static_call_global") && !sc_opt.global_all)
		return false;
	/* Only a callee GCC would call locally needs the global form. */
	return targetm.binds_local_p(fndecl);
}

/* ---- synthetic callees ------------------------------------------------ */

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

/*
 * What makes this unit's names unique in a link (two units' static f must
 * not merge) and the same in every compilation of it, so that objects are
 * reproducible: a hash of the unit's first public definition (what GCC
 * names static constructors after) mixed with -frandom-seed (or the seed
 * GCC already drew), so that one -frandom-seed given to every unit still
 * gives each its own names; a random seed only when there is neither.
 */
unsigned long sc_unit_seed(void)
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
 * Type attributes that promise what the callee returns: a later target
 * need not keep them, so the call's type loses them.  What constrains the
 * caller's own arguments (nonnull, format, sentinel, access), the ABI
 * (ms_abi, nocf_check, ...) and diagnostics (warn_unused_result) stays.
 */
static const char *const sc_result_promises[] = {
	"returns_nonnull", "alloc_size", "alloc_align", "assume_aligned",
	"fn spec",
};

/*
 * The type a site's call is made with: the call's own (a cast may differ
 * from the key's), without result promises; rs6000 reads longcall and
 * shortcall from it, and with shortcall a site is bl + nop whatever
 * -mlongcall says, never a sibcall.
 */
tree sc_call_type(tree fntype)
{
	tree attrs = TYPE_ATTRIBUTES(fntype);
	bool changed = false;

	for (const char *name : sc_result_promises)
		if (lookup_attribute(name, attrs)) {
			if (!changed)
				attrs = copy_list(attrs);
			attrs = remove_attribute(name, attrs);
			changed = true;
		}
	if (sc_target.global_calls && !lookup_attribute("shortcall", attrs)) {
		attrs = tree_cons(get_identifier("shortcall"), NULL_TREE, attrs);
		changed = true;
	}
	return changed ? build_type_attribute_variant(fntype, attrs) : fntype;
}

/*
 * Declaration attributes of the key the synthetic callee keeps: the
 * deallocator pairing of malloc (-Wmismatched-dealloc) and cold (the path
 * to the call is laid out as unlikely).  Not kept: leaf (a later target
 * may call back into this unit), malloc without arguments (its result may
 * alias), pure/const (dropped from the key itself), hot (the callee's own
 * placement).
 */
static tree sc_kept_decl_attrs(tree key)
{
	tree kept = NULL_TREE;

	if (TREE_CODE(key) != FUNCTION_DECL)
		return NULL_TREE;
	for (tree a = DECL_ATTRIBUTES(key); a; a = TREE_CHAIN(a)) {
		tree name = get_attribute_name(a);
		if (is_attribute_p("cold", name) ||
		    is_attribute_p("*dealloc", name) ||
		    (is_attribute_p("malloc", name) && TREE_VALUE(a)))
			kept = tree_cons(name, TREE_VALUE(a), kept);
	}
	return kept;
}

/* Name the synthetic allocator SYNTH of KEY beside KEY in the "*dealloc"
   attributes of DEALLOC. */
static void sc_add_dealloc_name(tree dealloc, tree key, tree synth)
{
	for (tree d = DECL_ATTRIBUTES(dealloc);
	     (d = lookup_attribute("*dealloc", d)); d = TREE_CHAIN(d)) {
		tree args = TREE_VALUE(d);

		if (args && TREE_VALUE(args) == DECL_NAME(key)) {
			DECL_ATTRIBUTES(dealloc) = tree_cons(
				get_identifier("*dealloc"),
				tree_cons(NULL_TREE, DECL_NAME(synth),
					  TREE_CHAIN(args)),
				DECL_ATTRIBUTES(dealloc));
			return;
		}
	}
}

/*
 * GCC pairs an allocator with its deallocators (-Wmismatched-dealloc) by
 * the allocator's name in each deallocator's "*dealloc" attributes: the
 * synthetic callee of an allocator key is named there too, on the
 * deallocator and on its synthetic callee if it is a key, or keys=all
 * would warn on correct code (fopen/fclose).
 */
static void sc_pair_deallocators(tree key, tree synth)
{
	for (tree a = DECL_ATTRIBUTES(synth);
	     (a = lookup_attribute("malloc", a)); a = TREE_CHAIN(a)) {
		tree args = TREE_VALUE(a);
		tree dealloc = args ? TREE_VALUE(args) : NULL_TREE;
		sc_key **slot;

		if (!dealloc || TREE_CODE(dealloc) != FUNCTION_DECL)
			continue;
		sc_add_dealloc_name(dealloc, key, synth);
		slot = sc_by_key->get(dealloc);
		if (slot)
			sc_add_dealloc_name((*slot)->synth, key, synth);
	}
}

/*
 * The synthetic callee of KEY: external, no body, the call's type.  It
 * keeps noreturn and nothrow (the CFG and EH regions were built on them).
 */
sc_key *sc_get_synth(tree key, tree target, tree fntype, enum sc_kind kind)
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
					   sc_kept_decl_attrs(key));
	if (!sc_target.global_calls) {
		/* Hidden: a direct call even with -fPIC, -fpie, -fno-plt. */
		DECL_VISIBILITY(synth) = VISIBILITY_HIDDEN;
		DECL_VISIBILITY_SPECIFIED(synth) = 1;
	}
	if (TREE_CODE(key) == FUNCTION_DECL)
		sc_pair_deallocators(key, synth);
	sc_hold_until_ipa(key);
	if (target != key)
		sc_hold_until_ipa(target);
	if (TREE_CODE(key) == FUNCTION_DECL)
		sc_warn_contradictions(key);
	sc_key *k = sc_new_entry(key, target, synth, kind);
	if (!slot || kind == SC_KIND_SITE)
		sc_by_key->put(key, k);
	return k;
}

/* The entry of a synthetic decl, rebuilt from its attribute under LTO. */
sc_key *sc_entry_of_synth(tree synth)
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

/* The entry of a symbol still naming a synthetic callee (not renamed). */
sc_key *sc_entry_of_rtx(const_rtx x)
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
