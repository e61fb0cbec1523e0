/*
 * attribs.cc - the attributes the staticcall plugin adds to the language:
 *
 *   int f(int) __attribute__((static_call));           calls to f are sites
 *   static int (*p)(int) __attribute__((static_call)) = f;
 *                                          calls through p: sites, direct
 *   static int g(int) __attribute__((static_call_global));
 *                                          powerpc64: calls are bl g; nop
 *
 * and what is wrong with them: a static_call key the site rule refuses
 * (keys.cc) is an error at its declaration; always_inline contradicts
 * static_call (warned); pure/const are dropped from a key (warned),
 * because the front end would fold f(x) + f(x) before any pass runs.
 */
#include "staticcall-plugin.h"

static bool sc_is_fnptr_type(tree type)
{
	return POINTER_TYPE_P(type) &&
	       FUNC_OR_METHOD_TYPE_P(TREE_TYPE(type));
}

/* One error per key, wherever it is found first. */
void sc_refuse_key(tree fndecl, location_t loc, const char *reason)
{
	static hash_set<tree> *refused;

	if (!refused)
		refused = new hash_set<tree>;
	if (refused->add(fndecl))
		return;
	error_at(loc, "%qD cannot be a %<static_call%> key: %s", fndecl,
		 reason);
}

void sc_strip_pure_const(tree fndecl)
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

/* A function key's declaration, checked once all its attributes are on. */
static void sc_check_function_key(tree fndecl)
{
	const char *reason = sc_callee_refusal(fndecl);

	if (reason)
		sc_refuse_key(fndecl, DECL_SOURCE_LOCATION(fndecl), reason);
	sc_strip_pure_const(fndecl);
}

void sc_warn_contradictions(tree fndecl)
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

static tree sc_handle_static_call(tree *node, tree name, tree, int,
				  bool *no_add_attrs)
{
	tree decl = *node;

	if (TREE_CODE(decl) == FUNCTION_DECL) {
		sc_check_function_key(decl);
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

/* Attributes listed after static_call (or on a later declaration). */
void sc_finish_decl(void *gcc_data, void *)
{
	tree decl = (tree)gcc_data;

	if (decl && TREE_CODE(decl) == FUNCTION_DECL)
		sc_keys_seen(decl);
	if (decl && TREE_CODE(decl) == FUNCTION_DECL &&
	    sc_has_attr(decl, "static_call"))
		sc_check_function_key(decl);
}

/*
 * The C++ front end marks a function nothrow when its body cannot throw
 * and then builds later callers without EH edges; a key's next target may
 * throw, so a key stays nothrow only when it was declared so (an exception
 * specification, which C++ keeps in TYPE_LANG_SLOT_1, or nothrow).
 * TREE_NOTHROW first: the front end sets it only outside templates, and a
 * template's pattern must never be looked at as a key.
 */
void sc_finish_parse_function(void *gcc_data, void *)
{
	tree fn = (tree)gcc_data;

	if (fn && TREE_CODE(fn) == FUNCTION_DECL)
		sc_keys_seen(fn);
	if (fn && TREE_CODE(fn) == FUNCTION_DECL && TREE_NOTHROW(fn) &&
	    !TYPE_LANG_SLOT_1(TREE_TYPE(fn)) && !sc_has_attr(fn, "nothrow") &&
	    (sc_explicit_key(fn) ||
	     (sc_opt.all_keys && !sc_callee_refusal(fn))))
		TREE_NOTHROW(fn) = 0;
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

void sc_register_attributes(void *, void *)
{
	sc_fill_attr(&sc_attr_static_call, "static_call",
		     sc_handle_static_call);
	sc_fill_attr(&sc_attr_static_call_global, "static_call_global",
		     sc_handle_static_call_global);
	register_attribute(&sc_attr_static_call);
	register_attribute(&sc_attr_static_call_global);
}
