/*
 * scelf.h - staticcall-tool's model of one ELF file: its sections,
 * symbols, relocations, and the staticcall_sites / staticcall_keys tables
 * decoded from it (abi.h), for any of the three targets, from one build
 * machine binary.
 *
 * Addresses: in a linked file (executable, shared object) an address is
 * the section's sh_addr plus an offset.  In a relocatable object every
 * section is given a distinct synthetic base (sc_sec.addr), so PC-relative
 * fields resolve with the same arithmetic; sc_fmt_addr() prints those as
 * "section+offset".
 */
#ifndef SCELF_H
#define SCELF_H

#include <gelf.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "staticcall/arch.h"

struct sc_rel {
	uint64_t off;		/* offset in the section it applies to */
	uint32_t type;
	uint32_t sym;
	int64_t addend;
	int implicit;		/* SHT_REL: the addend is in the field */
};

struct sc_sec {
	const char *name;
	GElf_Shdr sh;
	uint64_t addr;		/* sh_addr, or the synthetic base (ET_REL) */
	const unsigned char *bytes;	/* NULL for NOBITS or unreadable */
	size_t size;		/* bytes readable at @bytes */
	struct sc_rel *rels;	/* ET_REL: relocations applying here, sorted */
	size_t nrels;
};

struct sc_sym {
	const char *name;
	uint64_t addr;		/* address (defined symbols) */
	uint64_t size;
	size_t shndx;
	unsigned char type, bind, other;
	int defined;
};

/* A value read from a table field, as far as the file tells it. */
enum sc_val_kind {
	SC_VAL_ADDR,		/* @addr; @sym names it when a relocation did */
	SC_VAL_SYM,		/* undefined here: @sym + @addend */
	SC_VAL_DYNAMIC,		/* set by a dynamic relocation: @sym + @addend */
};

struct sc_val {
	enum sc_val_kind kind;
	uint64_t addr;
	const char *sym;
	int64_t addend;
};

struct sc_key {
	uint64_t addr;		/* record address */
	size_t sec;
	uint32_t magic;
	uint16_t version, flags;
	struct sc_val name;
	const char *name_str;	/* NULL when the name cannot be read */
	struct sc_val ident, deflt;
};

struct sc_site {
	uint64_t addr;		/* record address */
	size_t sec;
	struct sc_val site;
	struct sc_val key;	/* flags masked off */
	unsigned int flags;
	long key_index;		/* index into keys[], -1: not a key record */
	int definition;		/* a definition record: site == key, no site */
};

/* A dynamic relocation of a linked file: what fills a word at load time. */
struct sc_dynrel {
	uint64_t addr;
	uint32_t type;
	const char *sym;	/* NULL for RELATIVE */
	int64_t addend;
};

/* A problem found while reading (load) or checking (verify). */
struct sc_problem {
	char *text;
};

struct sc_file {
	const char *path;
	Elf *elf;
	int is_rel;		/* ET_REL: relocatable object */
	unsigned int machine;	/* EM_X86_64, EM_AARCH64, EM_PPC64 */
	int big_endian;
	unsigned int elf_type;
	struct sc_sec *secs;
	size_t nsecs;
	struct sc_sym *syms;
	size_t nsyms;
	size_t *funcs;		/* indices into syms[] of code symbols, by addr */
	size_t nfuncs;
	struct sc_dynrel *dynrels;	/* sorted by addr */
	size_t ndynrels;
	const char **pltnames;	/* symbol of each JUMP_SLOT, .rela.plt order */
	size_t npltnames;
	struct sc_key *keys;
	size_t nkeys;
	struct sc_site *sites;
	size_t nsites;		/* records, definition records included */
	size_t ndefinitions;	/* definition records (abi.h): no site */
	struct sc_problem *problems;	/* found while loading */
	size_t nproblems;
	void *own_buf;		/* the file's bytes, read by sc_load_path() */
	char err[256];		/* why sc_load() failed */
};

/* What the bytes at a site are: a form of the runtime's (enum sc_form,
 * staticcall/arch.h) the tool accepts (call, tail, nop), or not. */
#define SC_INSN_BAD	(-1)	/* anything else, or unreadable */

struct sc_insn_desc {
	int kind;			/* SC_FORM_CALL, _TAIL, _NOP or SC_INSN_BAD */
	unsigned int len;		/* bytes decoded (shown as hex) */
	unsigned char bytes[8];
	char text[48];			/* "call", "bl; nop", ... */
	struct sc_val dest;		/* CALL/TAIL */
	int has_dest;
	const char *why;		/* SC_INSN_BAD: what is wrong */
	unsigned int next_word;		/* powerpc64: the word after bl */
};

/* Load from memory (the buffer must outlive the file) or from a path. */
int sc_load_mem(struct sc_file *f, const char *name, void *buf, size_t len);
int sc_load_path(struct sc_file *f, const char *path);
void sc_free(struct sc_file *f);

void sc_problem(struct sc_problem **list, size_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

const char *sc_machine_name(unsigned int machine);
unsigned int sc_site_len(unsigned int machine);
int sc_find_sec(const struct sc_file *f, uint64_t addr, uint64_t len);
int sc_read(const struct sc_file *f, uint64_t addr, void *buf, size_t len);
uint32_t sc_get32(const struct sc_file *f, const unsigned char *p);
uint64_t sc_get64(const struct sc_file *f, const unsigned char *p);
const struct sc_rel *sc_rel_at(const struct sc_sec *s, uint64_t off);

/* Printing helpers; return @buf. */
char *sc_fmt_addr(const struct sc_file *f, uint64_t addr, char *buf, size_t n);
char *sc_fmt_sym(const struct sc_file *f, uint64_t addr, char *buf, size_t n);
/* "symbol+0xoff" of the data symbol at or around @addr (a pointer
   key's variable), or NULL. */
const char *sc_fmt_data(const struct sc_file *f, uint64_t addr, char *buf,
			size_t n);
char *sc_fmt_val(const struct sc_file *f, const struct sc_val *v,
		 char *buf, size_t n);
int sc_val_eq(const struct sc_val *a, const struct sc_val *b);

/* Decode the site instruction at @addr (scdecode.c). */
void sc_decode(const struct sc_file *f, uint64_t addr, struct sc_insn_desc *d);

/* Checks of `verify` (scverify.c): appends to @list, returns the count. */
size_t sc_verify(const struct sc_file *f, struct sc_problem **list, size_t *n);

/* `gen` (scgen.c). */
struct sc_gen_opts {
	const char *const *keys;	/* function names, NULL-terminated */
	int all;			/* every direct call */
	int verbose;
};
int sc_gen(const char *in, const char *out, const struct sc_gen_opts *o);

/* Output of `list` (sclist.c). */
void sc_list_text(FILE *out, const struct sc_file *f);
void sc_list_json(FILE *out, const struct sc_file *f);

#endif /* SCELF_H */
