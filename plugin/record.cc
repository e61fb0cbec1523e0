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
 * Only a key with a site that reached the RTL pass gets a record.
 */
#include "staticcall-plugin.h"

static unsigned sc_label_no;

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
 * record to just after the call, turns into the restore.  "" elsewhere.
 */
static const char *sc_emit_restore(rtx_insn *insn, unsigned flags)
{
	rtx purge;

	if (!sc_target.toc_restore_macro || !(flags & STATICCALL_SITE_TOC_SAVED))
		return "";
	purge = gen_rtx_ASM_INPUT_loc(VOIDmode, "\t.purgem nop",
				      INSN_LOCATION(insn));
	MEM_VOLATILE_P(purge) = 1;
	emit_insn_after(purge, insn);
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
	char *text = xasprintf(
		"%s"
		"%s"
		".Lscsite%u:\n"
		"\t" STATICCALL_SITES_PUSHSECTION("?", "%%") "\n"
		STATICCALL_SITE_REC_ASM(".Lscsite%u", "%s", "%u")
		"\t.popsection\n"
		STATICCALL_INDEX_SLOT_ASM("?", "%%")
		"%s"
		"%s",
		def, sc_target.site_prefix, n, n, k->sym, flags,
		*mac ? STATICCALL_PREPARED_MARK_ASM("?", "%") : "", mac);
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

void sc_finish_unit(void *, void *)
{
	unsigned i;
	sc_key *k;

	if (!asm_out_file || seen_error())
		return;
	FOR_EACH_VEC_ELT(sc_all_keys(), i, k)
		if (k->has_sites)
			sc_emit_key_record(asm_out_file, k);
}
