/*
 * staticcall/abi.h - the on-disk format of staticcall's site tables.
 *
 * Written once, here, for the plugin (which emits it), the runtime (which
 * reads and patches through it) and staticcall-tool (which lists, verifies
 * and generates it).  Usable from C, C++ and assembly.  64-bit ELF only.
 *
 * Four sections, each named as a C identifier so the linker provides
 * __start_<name> / __stop_<name> for each linked object:
 *
 *   staticcall_sites  "aR" (never written: the table is PC-relative, needs
 *                     no relocation and may sit in read-only memory shared
 *                     between processes; R = SHF_GNU_RETAIN so
 *                     --gc-sections keeps it).  Emitted in the COMDAT group
 *                     of the function that holds the site, so a discarded
 *                     COMDAT copy takes its site records with it.  An array
 *                     of struct staticcall_site_rec, 8-byte aligned.
 *
 *   staticcall_index  "awR", NOBITS: 8 zero bytes per site record, in the
 *                     same COMDAT group as the record, so an object has at
 *                     least as many as it has records.  The runtime's: the
 *                     first time any key is touched it copies the object's
 *                     records there sorted by key (zero pages until then).
 *                     staticcall-tool gen emits it too, one section for
 *                     the object's records.  Tables without it (an older
 *                     plugin or tool) must be writable and are sorted in
 *                     place.
 *
 *   staticcall_prepared  "awR", NOBITS: one zero byte per site record
 *                     whose site the plugin prepared at compile time
 *                     (powerpc64: the TOC restore after the bl emitted, so
 *                     sc_arch_prepare_site() has nothing to do), in the
 *                     same COMDAT group as the record.  Never read: its
 *                     size counts them.  An object with as many as records
 *                     has no site to prepare: the runtime registers it
 *                     without reading its text.  Older tables and
 *                     staticcall-tool gen have none (their text is read).
 *
 *   staticcall_keys   "aw".  One struct staticcall_key_rec per key per link
 *                     unit: for a public key in COMDAT group
 *                     "__staticcall_key.<asmname>" (hidden symbol of the same
 *                     name), for a key with internal linkage a local record
 *                     per translation unit.  8-byte aligned.
 *
 * Site record (8 bytes), all offsets relative to the record's own address
 * (the address of its `site` field), so the table needs no dynamic
 * relocation:
 *
 *     site address = (char *)rec + rec->site
 *     key record   = (char *)rec + (rec->key & ~STATICCALL_SITE_FLAGS)
 *     flags        = rec->key & STATICCALL_SITE_FLAGS
 *
 * A key record is 8-byte aligned and so is the site record, so the low three
 * bits of the key offset are free for flags.
 *
 * A definition record is a site record whose site is its key record
 * (rec->site == rec->key, no flags): no site, the object defines the key
 * (the plugin emits one in the unit that defines a public key function,
 * with its slot of staticcall_index and its byte of staticcall_prepared).
 * It makes the key known to the runtime while no loaded object has a site
 * of it, so that an update made then is kept, and the sites of an object
 * loaded later start on the current target.  A key record is never
 * executable memory, so no site can be mistaken for one.
 *
 * The site is the first byte of the call instruction:
 *   x86-64       e8/e9 rel32 (call/jmp), inside one naturally aligned
 *                8-byte word when STATICCALL_SITE_ALIGNED is set
 *   aarch64      bl / b
 *   powerpc64le  bl followed by nop or ld r2,24(r1); the plugin never
 *                emits tail sites on powerpc64
 *
 * Key record (64 bytes):
 *     magic    STATICCALL_KEY_MAGIC
 *     version  STATICCALL_ABI_VERSION; a reader refuses other versions
 *     flags    STATICCALL_KEY_*
 *     name     offset from &rec->name to the key's NUL-terminated name
 *     ident    identity of the key: the address of the default function
 *              (function keys) or of the function-pointer variable
 *              (STATICCALL_KEY_FNPTR).  Absolute, relocated by the dynamic
 *              linker, so every object of a process sees the same value for
 *              the same key: records with equal ident are one key.
 *     deflt    the default target (function keys: == ident; pointer keys:
 *              the variable's static initializer)
 *     runtime  zero in the file; owned by the runtime once the object is
 *              indexed (a reader refuses a record whose words are not zero)
 */
#ifndef STATICCALL_ABI_H
#define STATICCALL_ABI_H

#define STATICCALL_ABI_VERSION		1
#define STATICCALL_KEY_MAGIC		0x4b435353	/* "SSCK" little-endian */

#define STATICCALL_SITES_SECTION	staticcall_sites
#define STATICCALL_KEYS_SECTION		staticcall_keys
#define STATICCALL_INDEX_SECTION	staticcall_index
#define STATICCALL_PREPARED_SECTION	staticcall_prepared
#define STATICCALL_SITES_SECTION_STR	"staticcall_sites"
#define STATICCALL_INDEX_SECTION_STR	"staticcall_index"
#define STATICCALL_PREPARED_SECTION_STR	"staticcall_prepared"
#define STATICCALL_KEYS_SECTION_STR	"staticcall_keys"
#define STATICCALL_KEY_SYMBOL_PREFIX	"__staticcall_key."

/*
 * Links that would drop every site silently fail instead, with a message
 * in the name of a hidden symbol nobody else defines (the linker prints
 * "hidden symbol `<name>' isn't defined"):
 *
 *   STATICCALL_REGISTRATION_SYM  every unit the plugin emits records in
 *       refers to it (an R_*_NONE relocation in staticcall_sites);
 *       staticcall-object.o defines it.  A link of sites without the
 *       registration object (only -lstaticcall) fails.  A platform that
 *       registers its objects itself (a kernel, staticcall_object_add_tables)
 *       defines it in one unit of each object: STATICCALL_REGISTERS_ITSELF
 *       (staticcall/platform.h).
 *
 * STATICCALL_DEFINE_SYM_ASM(@name): a weak hidden definition of @name.
 *
 * An -flto link of objects with sites without the plugin fails on the
 * undefined synthetic callees (__staticcall_site.<key>); a unit compiled
 * with -flto and the plugin carries a .gnu.warning.<callee> section for
 * each, so the linker adds STATICCALL_LTO_MESSAGE at each reference.
 */
#define STATICCALL_REGISTRATION_SYM	\
	"staticcall: sites but no registration object in this link: add staticcall-object.o (pkg-config --libs staticcall)"
#define STATICCALL_LTO_MESSAGE	\
	"staticcall: this object was compiled with -flto and the plugin: give the link -fplugin too (pkg-config --libs staticcall)"
#define STATICCALL_REFER_SYM_ASM(name)					\
	"\t.pushsection " "staticcall_sites" ",\"aR\",%progbits\n"		\
	"\t.reloc ., BFD_RELOC_NONE, \"" name "\"\n"			\
	"\t.popsection\n"							\
	"\t.hidden \"" name "\"\n"
#define STATICCALL_DEFINE_SYM_ASM(name)					\
	"\t.pushsection .rodata.staticcall_link,\"a\",%progbits\n"		\
	"\t.weak \"" name "\"\n"						\
	"\t.hidden \"" name "\"\n"						\
	"\"" name "\":\n"							\
	"\t.byte 0\n"							\
	"\t.popsection\n"

/*
 * The site table in assembler, spelled once (for C strings: inline asm,
 * or a printf format the caller fills): the section directive, and one
 * record whose @site and @key are assembler expressions and @flags a
 * number of STATICCALL_SITE_* bits, all strings.  %progbits: every
 * target's assembler takes it (ARM's @ starts a comment).
 * STATICCALL_SITES_PUSHSECTION(@group, @pct): @group "?" puts the records
 * in the COMDAT group of the function before (the plugin), @pct "%%" in a
 * printf format.  STATICCALL_INDEX_SLOT_ASM(@group, @pct): the record's
 * 8 bytes of index, emitted beside it (outside the sites section).
 * STATICCALL_PREPARED_MARK_ASM(@group, @pct): the record's byte of
 * staticcall_prepared, for a site prepared at compile time.
 */
#define STATICCALL_SITES_PUSHSECTION(group, pct)			\
	".pushsection " STATICCALL_SITES_SECTION_STR ",\"aR" group "\","	\
	pct "progbits"
#define STATICCALL_SITES_SECTION_ASM	STATICCALL_SITES_PUSHSECTION("", "%")
#define STATICCALL_SITE_REC_ASM(site, key, flags)			\
	"\t.balign 8\n"							\
	"\t.long " site " - .\n"						\
	"\t.long " key " - . + 4 + " flags "\n"
#define STATICCALL_INDEX_PUSHSECTION(group, pct)			\
	".pushsection " STATICCALL_INDEX_SECTION_STR ",\"awR" group "\","	\
	pct "nobits"
#define STATICCALL_INDEX_SLOT_ASM(group, pct)				\
	"\t" STATICCALL_INDEX_PUSHSECTION(group, pct) "\n"		\
	"\t.balign 8\n"							\
	"\t.skip 8\n"							\
	"\t.popsection\n"
#define STATICCALL_PREPARED_PUSHSECTION(group, pct)			\
	".pushsection " STATICCALL_PREPARED_SECTION_STR ",\"awR" group "\","	\
	pct "nobits"
#define STATICCALL_PREPARED_MARK_ASM(group, pct)			\
	"\t" STATICCALL_PREPARED_PUSHSECTION(group, pct) "\n"		\
	"\t.skip 1\n"							\
	"\t.popsection\n"

/* Site flags: low bits of staticcall_site_rec.key. */
#define STATICCALL_SITE_TAIL		0x1	/* jmp / b: a tail call */
#define STATICCALL_SITE_INIT		0x2	/* in init text (may be freed) */
#define STATICCALL_SITE_ALIGNED		0x4	/* x86-64: site lies in one 8-byte word */
/*
 * Bit 2 is a per-CPU site property: ALIGNED on x86-64, TOC_SAVED on
 * powerpc64 (the function holding the site saves r2 to the TOC save slot
 * 24(r1) in its prologue, on every path to the site, so a same-TOC target
 * may be called with a direct bl; without it every call goes through a
 * veneer that saves r2).  Unused on aarch64.
 */
#define STATICCALL_SITE_TOC_SAVED	0x4	/* powerpc64: r2 saved at 24(r1) */
#define STATICCALL_SITE_FLAGS		0x7

/* Key flags. */
#define STATICCALL_KEY_FNPTR		0x1	/* ident is a function-pointer variable */
#define STATICCALL_KEY_VOID		0x2	/* returns void: NULL target allowed */
#define STATICCALL_KEY_FLAGS		0x3

#define STATICCALL_SITE_REC_SIZE	8
#define STATICCALL_KEY_REC_SIZE		64
#define STATICCALL_KEY_RUNTIME_WORDS	4

#ifndef __ASSEMBLER__
#include <stdint.h>

struct staticcall_site_rec {
	int32_t site;
	int32_t key;
};

struct staticcall_key_rec {
	uint32_t magic;
	uint16_t version;
	uint16_t flags;
	int32_t name;
	uint32_t reserved;
	uint64_t ident;
	uint64_t deflt;
	uint64_t runtime[STATICCALL_KEY_RUNTIME_WORDS];
};

static inline uintptr_t staticcall_site_addr(const struct staticcall_site_rec *rec)
{
	return (uintptr_t)rec + (intptr_t)rec->site;
}

static inline struct staticcall_key_rec *
staticcall_site_key(const struct staticcall_site_rec *rec)
{
	return (struct staticcall_key_rec *)((uintptr_t)rec +
		(intptr_t)(rec->key & ~(int32_t)STATICCALL_SITE_FLAGS));
}

static inline unsigned staticcall_site_flags(const struct staticcall_site_rec *rec)
{
	return (unsigned)rec->key & STATICCALL_SITE_FLAGS;
}

/* A definition record (no site: the object defines the key)? */
static inline int staticcall_site_is_definition(const struct staticcall_site_rec *rec)
{
	return rec->site == rec->key;
}

static inline const char *staticcall_key_name(const struct staticcall_key_rec *key)
{
	return (const char *)&key->name + key->name;
}

#ifdef __cplusplus
static_assert(sizeof(struct staticcall_site_rec) == STATICCALL_SITE_REC_SIZE, "site record");
static_assert(sizeof(struct staticcall_key_rec) == STATICCALL_KEY_REC_SIZE, "key record");
#else
_Static_assert(sizeof(struct staticcall_site_rec) == STATICCALL_SITE_REC_SIZE, "site record");
_Static_assert(sizeof(struct staticcall_key_rec) == STATICCALL_KEY_REC_SIZE, "key record");
#endif
#endif /* __ASSEMBLER__ */
#endif /* STATICCALL_ABI_H */
