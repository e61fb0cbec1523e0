/*
 * staticcall-plugin.h - what the files of the staticcall plugin share: the
 * key table entry, the options, the target contract (one target-<cpu>.cc
 * per CPU, chosen by configure.host) and the functions each file provides.
 *
 *   plugin.cc        plugin_init, options, help, __STATICCALL__, passes
 *   attribs.cc       static_call, static_call_global; explicit-key errors
 *   keys.cc          which callees can be sites; keys; synthetic callees
 *   refs.cc          what keeps a default target alive: a surviving site
 *   gimple-pass.cc   calls to keys -> calls to synthetic callees
 *   rtl-pass.cc      synthetic callees -> default targets; debug names
 *   record.cc        site records and key records (include/staticcall/abi.h)
 *   target-<cpu>.cc  site form, flags and passes of one CPU
 */
#ifndef STATICCALL_PLUGIN_H
#define STATICCALL_PLUGIN_H

#include "gcc-common.h"
#include "staticcall/abi.h"

#ifndef STATICCALL_VERSION
#define STATICCALL_VERSION "0.0.0"
#endif

#define SC_SYNTH_ATTR		"staticcall site"	/* not spellable in source */
#define SC_SITE_PREFIX_NAME	"__staticcall_site."
#define SC_GLOBAL_PREFIX_NAME	"__staticcall_global."
#define SC_TAIL_PREFIX_NAME	"__staticcall_tail."

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
	bool lto_warned;	/* -flto: the link warning is emitted */
	char *sym;		/* key record symbol */
};

enum sc_unmatched {
	SC_UNMATCHED_WARNING,	/* a keys= name no function has: a warning */
	SC_UNMATCHED_ERROR,
	SC_UNMATCHED_NONE,
};

struct sc_options {
	bool all_keys;		/* keys=all */
	bool global_all;	/* global-calls=all */
	bool linux_mode;	/* linux: keys=all leaves inline callees */
	auto_vec<char *> key_names;	/* keys=f,g,... */
	enum sc_unmatched unmatched;	/* unmatched-keys= */
};
extern struct sc_options sc_opt;

/*
 * The target contract.  Each target-<cpu>.cc defines sc_target and the
 * two functions below; nothing else in plugin/ knows which CPU it is.
 */
struct sc_target_info {
	/* Appended to a site's target symbol ("@PLT" on x86-64). */
	const char *symbol_suffix;
	/* Assembly put before every site (x86-64: the alignment). */
	const char *site_prefix;
	/* Synthetic callees are global + shortcall (powerpc64: bl f; nop),
	   and global-calls / static_call_global mean something. */
	bool global_calls;
	/* A tail site to a local target jumps to a weak alias (x86-64). */
	bool tail_alias;
	/* Why a call the compiler did not emit directly cannot be a site. */
	const char *not_direct_reason;
	/* What follows a STATICCALL_SITE_TOC_SAVED call instead of its nop
	   (powerpc64: the r2 restore, so start-up writes no text), as an
	   assembler macro named nop; NULL: nothing. */
	const char *toc_restore_macro;
	/* Kernel mode: put before a Linux static call site (a call to
	   __SCT__<name>), which toc_restore_macro then follows (powerpc64:
	   the r2 save, so the site may be bound to a target of another
	   TOC, see target-powerpc64.cc); NULL: nothing. */
	const char *linux_toc_save;
	/* Kernel mode: a module's text may be beyond 2 GB of the kernel's
	   (powerpc64), so a module's record names its key through a
	   pointer of the module (STATIC_CALL_SITE_INDIRECT, record.cc). */
	bool linux_module_far;
};
extern const struct sc_target_info sc_target;
/* The target's flags of a site in the current function (record.cc). */
unsigned sc_target_site_flags(void);
/* Register the target's own passes and hooks (plugin_init). */
void sc_target_init(const char *plugin_name);

/* keys.cc */
bool sc_has_attr(tree decl, const char *name);
const char *sc_asm_name(tree decl);
/* Unique per unit, the same in every compilation of it (keys.cc). */
unsigned long sc_unit_seed(void);
bool sc_is_synth(tree decl);
bool sc_is_fnptr_key(tree t);
const char *sc_callee_refusal(tree fndecl);
const char *sc_caller_refusal(tree caller);
bool sc_explicit_key(tree fndecl);
bool sc_keys_all_takes(tree fndecl, gcall *call);
bool sc_wants_global_call(tree fndecl);
tree sc_call_type(tree fntype);
sc_key *sc_get_synth(tree key, tree target, tree fntype, enum sc_kind kind);
sc_key *sc_entry_of_synth(tree synth);
sc_key *sc_entry_of_rtx(const_rtx x);
const vec<sc_key *> &sc_all_keys(void);
void sc_keys_init(void);
/* A function declared or defined in the unit: the keys= names it matches. */
void sc_keys_seen(tree fndecl);
/* The keys= names no function of the unit matched: said (unmatched-keys=). */
void sc_keys_check_unmatched(void);

/* attribs.cc */
void sc_register_attributes(void *, void *);
void sc_finish_decl(void *gcc_data, void *);
void sc_finish_parse_function(void *gcc_data, void *);
void sc_strip_pure_const(tree fndecl);
void sc_warn_contradictions(tree fndecl);
void sc_refuse_key(tree fndecl, location_t loc, const char *reason);

/* refs.cc */
void sc_hold_until_ipa(tree decl);
unsigned int sc_refs_execute(function *);

/* gimple-pass.cc */
unsigned int sc_gimple_execute(function *fun);

/* rtl-pass.cc */
unsigned int sc_rtl_execute(function *fun);
void sc_rtl_init(void);

/* record.cc */
void sc_emit_site_record(rtx_insn *insn, sc_key *k, const char *alias);
/* Kernel mode: a direct call to a __SCT__ trampoline that is no site of
   ours gets Linux's .static_call_sites record all the same. */
void sc_emit_linux_call(rtx_insn *insn, const char *tramp);
void sc_finish_unit(void *, void *);
/* A site of K in a unit compiled with -flto: a link without the plugin
   says what to do (STATICCALL_LTO_MESSAGE, abi.h). */
void sc_lto_warn_link(sc_key *k);

#endif /* STATICCALL_PLUGIN_H */
