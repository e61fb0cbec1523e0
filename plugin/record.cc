/*
 * record.cc - the records the runtime and the tool read, in the layout of
 * include/staticcall/abi.h:
 *
 *   .Lscsite0:                          in the function, before the call
 *   .pushsection staticcall_sites       8 bytes per site:
 *     .long .Lscsite0 - .                 where the site is
 *     .long __staticcall_key.f - . + 4 + FLAGS   its key, its flags
 *   staticcall_index                    8 zero bytes per site (NOBITS)
 *   staticcall_prepared                 1 zero byte per site whose nop
 *                                       became the TOC restore here
 *   staticcall_keys                     64 bytes per key and link unit
 *                                       (COMDAT for a public key): magic,
 *                                       version, flags, name, key, default
 *
 * Only a key with a site that reached the RTL pass gets a record, and
 * every public key this unit defines (a function with the static_call
 * attribute or named by keys=): the unit that defines a key gives it a
 * record and a definition record (abi.h: a site record whose site is its
 * key record), so that an update finds the key before any object with
 * its sites is loaded, and an object loaded later starts on the key's
 * current target.
 *
 * Kernel mode (linux) writes the same site and key records, but in
 * .discard.staticcall_sites, .discard.staticcall_keys and
 * .discard.staticcall_names, and nothing else of ours: no runtime of ours
 * reads them in Linux, the kernel's linker scripts discard .discard.*
 * (vmlinux.lds.h COMMON_DISCARDS, module.lds), and a section they do not
 * name is an orphan the vmlinux link warns about.  The objects and
 * vmlinux.o keep them, to count and test the sites.  What the kernel
 * reads is its own .static_call_sites (sc_linux_record).
 */
#include "staticcall-plugin.h"

static unsigned sc_label_no;

/* A section of ours: its kernel-mode name. */
static const char *sc_section(const char *name)
{
	static hash_map<nofree_string_hash, const char *> *names;

	if (!sc_opt.linux_mode)
		return name;
	if (!names)
		names = new hash_map<nofree_string_hash, const char *>;
	const char **known = names->get(name);
	if (known)
		return *known;
	const char *kname = concat(".discard.", name, NULL);
	names->put(name, kname);
	return kname;
}

/* Is the macro NAME defined in this unit?  (false when unknown: lto1) */
static bool sc_macro_defined(const char *name)
{
	if (!parse_in || !cpp_defined || !cpp_get_options)
		return false;
	return cpp_defined(parse_in, (const unsigned char *)name,
			   strlen(name));
}

/*
 * Kernel mode, a unit of a module (Kbuild defines MODULE): Linux's module
 * loader writes the r2 restore after each call that leaves the module
 * (powerpc64 module_64.c, restore_r2) and wants the nop GCC put there,
 * so the unit keeps its nops.
 */
static bool sc_in_module(void)
{
	return sc_opt.linux_mode && sc_macro_defined("MODULE");
}

/* The end of the toc_restore_macro's life: just after the call INSN. */
static void sc_emit_purge(rtx_insn *insn)
{
	rtx purge = gen_rtx_ASM_INPUT_loc(VOIDmode, "\t.purgem nop",
					  INSN_LOCATION(insn));

	MEM_VOLATILE_P(purge) = 1;
	emit_insn_after(purge, insn);
}

/*
 * Kernel mode: does the kernel read .static_call_sites (its static calls
 * are inline: CONFIG_HAVE_STATIC_CALL_INLINE, autoconf.h)?  A unit given
 * preprocessed (-fpreprocessed) has lost its macros: said once.
 */
static bool sc_linux_inline_calls(location_t loc)
{
	static int known = -1;

	if (known >= 0)
		return known;
	known = sc_macro_defined("CONFIG_HAVE_STATIC_CALL_INLINE");
	if (!known && parse_in && cpp_get_options &&
	    cpp_get_options(parse_in)->preprocessed)
		warning_at(loc, 0, "staticcall: kernel mode cannot tell from "
			   "preprocessed input whether the kernel has "
			   "%<CONFIG_HAVE_STATIC_CALL_INLINE%>: no "
			   "%<.static_call_sites%> records in this unit");
	return known;
}

/*
 * Kernel mode: the kernel's own record of a call to the static call
 * trampoline TRAMP (__SCT__<name>) at LABEL, as objtool's --static-call
 * pass writes it (tools/objtool/check.c, create_static_call_sections;
 * include/linux/static_call_types.h): a struct static_call_site in
 * .static_call_sites, the site's offset, then the offset of the key
 * __SCK__<name> plus STATIC_CALL_SITE_TAIL (1) for a tail call.  The
 * kernel sets STATIC_CALL_SITE_INIT (2) itself.  A module's unit that
 * does not refer to the key (static_call_mod(): the key need not be
 * exported) names the trampoline instead, which the module loader replaces
 * by the key (static_call_add_module), as objtool does.  "" when the call
 * is not one, or the kernel reads no such records.
 *
 * Where a module may be too far from the kernel for a 32-bit offset
 * (linux_module_far: powerpc64), a module's record names instead a
 * pointer in the module's data to the key (or trampoline), plus
 * STATIC_CALL_SITE_INDIRECT (4), which the kernel follows (patches/0010).
 */
static char *sc_linux_record(const rtx_insn *insn, const char *tramp,
			     const char *label)
{
	const char *prefix = "__SCT__";
	const char *key;

	if (!sc_opt.linux_mode || !startswith(tramp, prefix) ||
	    !sc_linux_inline_calls(INSN_LOCATION(insn)))
		return xstrdup("");
	char *keysym = concat("__SCK__", tramp + strlen(prefix), NULL);
	key = keysym;
	if (sc_macro_defined("MODULE") &&
	    !symtab_node::get_for_asmname(get_identifier(keysym)))
		key = tramp;
	char *text;
	if (sc_target.linux_module_far && sc_macro_defined("MODULE"))
		text = xasprintf("\t.pushsection .static_call_sites,\"aw\","
				 "%%progbits\n\t.balign 4\n"
				 "\t.long %s - .\n\t.long %sk - . + %d\n"
				 "\t.popsection\n"
				 "\t.pushsection .data,\"aw\",%%progbits\n"
				 "\t.balign 8\n%sk:\n\t.quad %s\n"
				 "\t.popsection\n", label, label,
				 (SIBLING_CALL_P(insn) ? 1 : 0) + 4, label, key);
	else
		text = xasprintf("\t.pushsection .static_call_sites,\"aw\","
				 "%%progbits\n\t.balign 4\n"
				 "\t.long %s - .\n\t.long %s - . + %d\n"
				 "\t.popsection\n", label, key,
				 SIBLING_CALL_P(insn) ? 1 : 0);
	free(keysym);
	return text;
}

/* A call GCC made direct to TRAMP after the sites pass: its record. */
void sc_emit_linux_call(rtx_insn *insn, const char *tramp)
{
	unsigned n = sc_label_no++;
	char *label = xasprintf(".Lsclinux%u", n);
	char *rec = sc_linux_record(insn, tramp, label);

	if (*rec) {
		/* powerpc64: the r2 save before, the restore after */
		const char *save = sc_target.linux_toc_save;
		const char *mac = save && !sc_in_module() ?
			sc_target.toc_restore_macro : NULL;
		char *text = xasprintf("%s%s:\n%s%s", save ? save : "", label,
				       rec, mac ? mac : "");
		rtx asm_rtx = gen_rtx_ASM_INPUT_loc(VOIDmode,
						    ggc_strdup(text),
						    INSN_LOCATION(insn));
		MEM_VOLATILE_P(asm_rtx) = 1;
		emit_insn_before(asm_rtx, insn);
		if (mac)
			sc_emit_purge(insn);
		free(text);
	}
	free(rec);
	free(label);
}

static unsigned sc_site_flags(const rtx_insn *insn)
{
	unsigned flags = sc_target_site_flags();
	const char *sec = DECL_SECTION_NAME(current_function_decl);

	if (SIBLING_CALL_P(insn))
		flags |= STATICCALL_SITE_TAIL;
	if (sec && startswith(sec, ".init.text"))
		flags |= STATICCALL_SITE_INIT;
	return flags;
}

/*
 * A TOC_SAVED site's nop becomes the target's r2 restore (powerpc64:
 * doc/arch-powerpc64.md, "r2 and the TOC"): GCC's call template prints
 * "nop" after the bl, which an assembler macro of that name, live from the
 * record to just after the call, turns into the restore.  "" elsewhere,
 * and in a module's unit in kernel mode (sc_in_module).
 */
static const char *sc_emit_restore(rtx_insn *insn, unsigned flags)
{
	if (!sc_target.toc_restore_macro || !(flags & STATICCALL_SITE_TOC_SAVED) ||
	    sc_in_module())
		return "";
	sc_emit_purge(insn);
	return sc_target.toc_restore_macro;
}

void sc_emit_site_record(rtx_insn *insn, sc_key *k, const char *alias)
{
	unsigned n = sc_label_no++, flags = sc_site_flags(insn);
	const char *mac = sc_emit_restore(insn, flags);
	/* The alias is a plain label (no type): only the jmp refers to it,
	   and tools that check functions (objtool: size, fall-through) or
	   name code by its function symbol must keep seeing the target. */
	char *def = alias ? xasprintf("\t.weak %s\n\t.hidden %s\n\t.set %s, %s\n"
				      "\t.type %s, %%notype\n",
				      alias, alias, alias,
				      sc_asm_name(k->target), alias) : xstrdup("");
	/* The sites table is read-only ("aR"); the runtime's index of it is
	   a zero-filled slot per site beside it, and a site whose restore
	   is emitted here (nothing to prepare) has a byte of
	   staticcall_prepared (abi.h). */
	char *label = xasprintf(".Lscsite%u", n);
	char *linux_rec = sc_linux_record(insn, sc_asm_name(k->target), label);
	const char *save = "";
	char *text;

	/* Linux's site too (a direct call to __SCT__<name>): its r2 save
	   and restore whatever the prologue does (sc_emit_linux_call) */
	if (*linux_rec && sc_target.linux_toc_save) {
		save = sc_target.linux_toc_save;
		if (!*mac && !sc_in_module()) {
			sc_emit_purge(insn);
			mac = sc_target.toc_restore_macro;
		}
	}

	if (sc_opt.linux_mode)	/* the records only (see the top) */
		text = xasprintf(
			"%s"
			"%s"
			"%s"
			"%s:\n"
			"%s"
			"\t.pushsection %s,\"a?\",%%progbits\n"
			STATICCALL_SITE_REC_ASM("%s", "%s", "%u")
			"\t.popsection\n"
			"%s",
			def, sc_target.site_prefix, save, label, linux_rec,
			sc_section(STATICCALL_SITES_SECTION_STR), label,
			k->sym, flags, mac);
	else
		text = xasprintf(
			"%s"
			"%s"
			"%s:\n"
			"\t" STATICCALL_SITES_PUSHSECTION("?", "%%") "\n"
			STATICCALL_SITE_REC_ASM("%s", "%s", "%u")
			"\t.popsection\n"
			STATICCALL_INDEX_SLOT_ASM("?", "%%")
			"%s"
			"%s",
			def, sc_target.site_prefix, label, label, k->sym,
			flags,
			*mac ? STATICCALL_PREPARED_MARK_ASM("?", "%") : "",
			mac);
	free(label);
	free(linux_rec);
	rtx asm_rtx = gen_rtx_ASM_INPUT_loc(VOIDmode, ggc_strdup(text),
					    INSN_LOCATION(insn));

	free(text);
	free(def);
	MEM_VOLATILE_P(asm_rtx) = 1;
	emit_insn_before(asm_rtx, insn);
	k->has_sites = true;
	/* The key record refers to a pointer key: variables are output
	 * after every function, once the references GCC sees (refs.cc's
	 * are gone by then) say whether they are needed. */
	if (varpool_node *var = varpool_node::get(k->key))
		var->force_output = 1;
}

static void sc_emit_key_record(FILE *f, tree key, tree target, tree fntype,
			       bool fnptr, const char *sym)
{
	unsigned n = sc_label_no++;
	unsigned flags = 0;

	if (fnptr)
		flags |= STATICCALL_KEY_FNPTR;
	if (VOID_TYPE_P(TREE_TYPE(fntype)))
		flags |= STATICCALL_KEY_VOID;
	if (TREE_PUBLIC(key)) {
		fprintf(f, "\t.pushsection %s,\"awG\",%%progbits,%s,comdat\n",
			sc_section(STATICCALL_KEYS_SECTION_STR), sym);
		fprintf(f, "\t.globl %s\n\t.hidden %s\n", sym, sym);
	} else {
		fprintf(f, "\t.pushsection %s,\"aw\",%%progbits\n",
			sc_section(STATICCALL_KEYS_SECTION_STR));
	}
	fprintf(f, "\t.balign 8\n\t.type %s, %%object\n\t.size %s, %d\n%s:\n",
		sym, sym, STATICCALL_KEY_REC_SIZE, sym);
	fprintf(f, "\t.long %#x\n\t.short %d, %u\n", STATICCALL_KEY_MAGIC,
		STATICCALL_ABI_VERSION, flags);
	fprintf(f, "\t.long .Lsckeyname%u - .\n\t.long 0\n\t.quad ", n);
	assemble_name(f, sc_asm_name(key));
	fprintf(f, "\n\t.quad ");
	assemble_name(f, sc_asm_name(target));
	fprintf(f, "\n\t.quad 0, 0, 0, 0\n");
	/* The name travels with the record (same COMDAT group). */
	const char *names = sc_opt.linux_mode ? sc_section("staticcall_names")
					      : ".rodata.staticcall_names";
	if (TREE_PUBLIC(key))
		fprintf(f, "\t.section %s,\"aG\",%%progbits,%s,comdat\n",
			names, sym);
	else
		fprintf(f, "\t.section %s,\"a\",%%progbits\n", names);
	fprintf(f, ".Lsckeyname%u:\n\t.string \"%s\"\n\t.popsection\n", n,
		sc_asm_name(key));
}

/*
 * The definition record of the key function DECL, which this unit
 * defines: a site record whose site is the key record SYM (abi.h), with
 * its slot of index and its byte of staticcall_prepared (nothing to
 * prepare), in DECL's COMDAT group if it has one, so that the copy the
 * linker keeps is the one recorded.
 */
static void sc_emit_definition_record(FILE *f, tree decl, const char *sym)
{
	symtab_node *node = symtab_node::get(decl);
	tree group = node ? node->get_comdat_group_id() : NULL_TREE;
	const char *g = group ? "G" : "";
	char *c = group ? concat(",", IDENTIFIER_POINTER(group), ",comdat",
				 NULL) : xstrdup("");

	fprintf(f, "\t.pushsection %s,\"a%s%s\",%%progbits%s\n"
		"\t.balign 8\n\t.long %s - .\n\t.long %s - . + 4\n"
		"\t.popsection\n", sc_section(STATICCALL_SITES_SECTION_STR),
		sc_opt.linux_mode ? "" : "R", g, c, sym, sym);
	if (sc_opt.linux_mode) {
		free(c);
		return;
	}
	fprintf(f, "\t.pushsection " STATICCALL_INDEX_SECTION_STR
		",\"awR%s\",%%nobits%s\n"
		"\t.balign 8\n\t.skip 8\n\t.popsection\n", g, c);
	fprintf(f, "\t.pushsection " STATICCALL_PREPARED_SECTION_STR
		",\"awR%s\",%%nobits%s\n\t.skip 1\n\t.popsection\n", g, c);
	free(c);
}

/* The sites' key entry of DECL in this unit, if any has a record. */
static sc_key *sc_recorded_key(tree decl)
{
	unsigned i;
	sc_key *k;

	FOR_EACH_VEC_ELT(sc_all_keys(), i, k)
		if (k->key == decl && k->kind == SC_KIND_SITE && k->has_sites)
			return k;
	return NULL;
}

/* Does this unit define the public key function DECL (its body written)? */
static bool sc_defines_key(cgraph_node *node)
{
	tree decl = node->decl;

	return TREE_PUBLIC(decl) && TREE_ASM_WRITTEN(decl) &&
	       !node->alias && !node->thunk && !DECL_EXTERNAL(decl) &&
	       sc_explicit_key(decl) && !sc_callee_refusal(decl);
}

/*
 * -flto: the LTO code of a site calls the synthetic callee, which only
 * the plugin at the link renames.  A link without it would fail on an
 * undefined __staticcall_site.<key> and no more; a .gnu.warning section
 * named after the synthetic callee (top-level asm, streamed with the
 * unit) makes the linker say, at each such reference, what to do.  A
 * link with the plugin leaves no reference, so no warning.
 */
void sc_lto_warn_link(sc_key *k)
{
	char *text;

	if (!flag_generate_lto || in_lto_p || k->lto_warned)
		return;
	k->lto_warned = true;
	text = xasprintf("\t.pushsection .gnu.warning.%s\n"
			 "\t.string \"" STATICCALL_LTO_MESSAGE "\"\n"
			 "\t.popsection\n",
			 IDENTIFIER_POINTER(DECL_ASSEMBLER_NAME(k->synth)));
	symtab->finalize_toplevel_asm(build_string(strlen(text), text));
	free(text);
}

void sc_finish_unit(void *, void *)
{
	bool records = false;
	cgraph_node *node;
	unsigned i;
	sc_key *k;

	sc_keys_check_unmatched();
	if (!asm_out_file || seen_error())
		return;
	/* Two declarations can name one symbol (glibc's fortified headers
	   redirect longjmp to __longjmp_chk, which they declare too): one
	   key, one record. */
	hash_set<nofree_string_hash> emitted;

	FOR_EACH_VEC_ELT(sc_all_keys(), i, k)
		if (k->has_sites && !emitted.add(k->sym)) {
			sc_emit_key_record(asm_out_file, k->key, k->target,
					   TREE_TYPE(k->synth), k->fnptr,
					   k->sym);
			records = true;
		}
	FOR_EACH_FUNCTION(node) {
		tree decl = node->decl;
		char *sym;

		if (!sc_defines_key(node))
			continue;
		k = sc_recorded_key(decl);
		sym = k ? xstrdup(k->sym) :
			concat(STATICCALL_KEY_SYMBOL_PREFIX, sc_asm_name(decl),
			       NULL);
		if (!k)
			sc_emit_key_record(asm_out_file, decl, decl,
					   TREE_TYPE(decl), false, sym);
		sc_emit_definition_record(asm_out_file, decl, sym);
		free(sym);
		records = true;
	}
	/* a link of these records without the registration object fails
	   (a kernel links none: kernel mode's records are discarded) */
	if (records && !sc_opt.linux_mode)
		fputs(STATICCALL_REFER_SYM_ASM(STATICCALL_REGISTRATION_SYM),
		      asm_out_file);
}
