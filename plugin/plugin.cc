/*
 * plugin.cc - the staticcall GCC plugin: calls become patchable sites.
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
 * How (doc/internals.md "How the plugin makes a site"; the files:
 * staticcall-plugin.h):
 *   1. A GIMPLE pass after "cfg" redirects each call to a key to a
 *      synthetic external declaration "__staticcall_site.<key>" of the same
 *      type: no inlining, cloning, IPA-RA, pure/const or noreturn discovery.
 *   2. A simple IPA pass before "remove_symbols" makes each function that
 *      still calls a synthetic callee refer to the key and its target.
 *   3. An RTL pass before "shorten" renames each call to a synthetic
 *      symbol back to the default target and puts the site record before it.
 *   4. At the end of the unit, one key record per key with sites.
 *
 * Attributes (attribs.cc):
 *   static_call         on a function: calls to it are sites of its key;
 *                       on a function-pointer variable with a static
 *                       initializer: calls through it are direct sites.
 *   static_call_global  on a function: powerpc64 calls it in the global
 *                       form (bl f; nop) even when it is local.
 * Options (-fplugin-arg-staticcall-<key>[=<value>]):
 *   keys=f,g,...|all    treat calls to f, g (or every direct call) as sites
 *   unmatched-keys=warning|error|none  a keys= name no function has
 *   global-calls=all|none  global call form for every local callee (ppc64)
 *   linux               kernel mode: keys=all leaves callees declared
 *                       inline or defined in the unit to GCC (the kernel
 *                       relies on inlining and IPA for its section rules
 *                       and to drop references to symbols not linked)
 *   help, version
 * Predefined macro: __STATICCALL__ = major * 10000 + minor * 100 + patch.
 */
#define SC_PLUGIN_INIT_FILE
#include "gcc-pass.h"
#include "staticcall-plugin.h"

int plugin_is_GPL_compatible;

struct sc_options sc_opt;

static const char sc_help[] =
	"staticcall " STATICCALL_VERSION ": patchable call sites\n"
	"  -fplugin-arg-staticcall-keys=f,g,...  calls to f, g are sites\n"
	"  -fplugin-arg-staticcall-keys=all      every direct call is a site\n"
	"  -fplugin-arg-staticcall-unmatched-keys=warning|error|none\n"
	"                                        a keys= name no function of the\n"
	"                                        unit has (default: warning)\n"
	"  -fplugin-arg-staticcall-global-calls=all|none\n"
	"                                        powerpc64: bl f; nop for local f\n"
	"  -fplugin-arg-staticcall-linux         kernel mode: keys=all leaves\n"
	"                                        inline and local callees to GCC\n"
	"  -fplugin-arg-staticcall-help          print this\n"
	"  -fplugin-arg-staticcall-version       print the version\n"
	"Attributes: static_call (functions, function-pointer variables),\n"
	"static_call_global (functions).  Predefines __STATICCALL__.";

static struct plugin_info sc_info = {
	STATICCALL_VERSION,
	sc_help,
};

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

static bool sc_parse_unmatched(const char *value)
{
	if (value && !strcmp(value, "warning"))
		sc_opt.unmatched = SC_UNMATCHED_WARNING;
	else if (value && !strcmp(value, "error"))
		sc_opt.unmatched = SC_UNMATCHED_ERROR;
	else if (value && !strcmp(value, "none"))
		sc_opt.unmatched = SC_UNMATCHED_NONE;
	else {
		error("staticcall: invalid value %qs for %<unmatched-keys%>; "
		      "valid values: %<warning%>, %<error%>, %<none%>",
		      value ? value : "");
		return false;
	}
	return true;
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
		else if (!strcmp(key, "unmatched-keys"))
			ok &= sc_parse_unmatched(value);
		else if (!strcmp(key, "linux"))
			sc_opt.linux_mode = true;
		else if (!strcmp(key, "help"))
			inform(UNKNOWN_LOCATION, "%s", sc_help);
		else if (!strcmp(key, "version"))
			inform(UNKNOWN_LOCATION, "staticcall %s",
			       STATICCALL_VERSION);
		else {
			error("staticcall: unknown option "
			      "%<-fplugin-arg-%s-%s%>; valid options: "
			      "%<keys=f,g,...|all%>, %<global-calls=all|none%>, "
			      "%<unmatched-keys=warning|error|none%>, "
			      "%<linux%>, %<help%>, %<version%>", info->base_name, key);
			ok = false;
		}
	}
	return ok;
}

/* ---- init ------------------------------------------------------------- */

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

	sc_keys_init();
	sc_rtl_init();
	register_callback(name, PLUGIN_INFO, NULL, &sc_info);
	register_callback(name, PLUGIN_ATTRIBUTES, sc_register_attributes,
			  NULL);
	register_callback(name, PLUGIN_PRAGMAS, sc_define_macro, NULL);
	register_callback(name, PLUGIN_FINISH_UNIT, sc_finish_unit, NULL);
	register_callback(name, PLUGIN_FINISH_DECL, sc_finish_decl, NULL);
	register_callback(name, PLUGIN_FINISH_PARSE_FUNCTION,
			  sc_finish_parse_function, NULL);

	sc_register_pass(name, GIMPLE_PASS, "staticcall_sites", PROP_cfg,
			 sc_gimple_execute, "cfg", 1, PASS_POS_INSERT_AFTER);
	sc_register_pass(name, SIMPLE_IPA_PASS, "staticcall_refs", 0,
			 sc_refs_execute, "remove_symbols", 1,
			 PASS_POS_INSERT_BEFORE);
	sc_register_pass(name, RTL_PASS, "staticcall_record", 0,
			 sc_rtl_execute, "shorten", 1, PASS_POS_INSERT_BEFORE);
	sc_target_init(name);
	return 0;
}
