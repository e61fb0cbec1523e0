/*
 * scgen.c - `staticcall-tool gen`: give an object compiled without the
 * plugin a site table, the objtool way.  The calls are found from the
 * relocations of its executable sections:
 *   x86-64     R_X86_64_PLT32/PC32 (addend -4) after an e8 (call) or
 *              e9 (jmp) byte
 *   aarch64    R_AARCH64_CALL26 (bl), R_AARCH64_JUMP26 (b)
 *   powerpc64  R_PPC64_REL24 on a bl followed by a nop (a global call)
 * against a named function (--keys=f,g) or any function (--all).
 *
 * The output is a new relocatable object: the input's sections unchanged
 * (same indices), plus staticcall_sites, staticcall_keys, their .rela
 * sections, .rodata.staticcall_names and staticcall_index, flagged as the
 * plugin flags them (abi.h: the table read-only, "aR", and beside it the
 * index, NOBITS "awR", 8 bytes per record, so the runtime indexes the
 * object without writing its table), and one local section symbol per
 * section the new relocations refer to (inserted before the first global
 * symbol; every relocation and group section is renumbered to match).
 * One key record per called function, local to the object: records of the
 * same function in several objects have the same ident and the runtime
 * merges them.  x86-64 sites do not get STATICCALL_SITE_ALIGNED: the
 * runtime patches them with the breakpoint protocol.
 */
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "scelf.h"
#include "../arch/x86_64/insn.h"
#include "../arch/powerpc64/insn.h"
#include "staticcall/abi.h"

#ifndef SHF_GNU_RETAIN
#define SHF_GNU_RETAIN	(1 << 21)
#endif

struct gen_site {
	size_t sec;		/* text section */
	uint64_t off;
	int tail;
	size_t key;		/* index in keys[] */
};

struct gen {
	struct sc_file f;
	const struct sc_gen_opts *o;
	struct gen_site *sites;
	size_t nsites;
	uint32_t *keys;		/* input symbol index of each key */
	size_t nkeys;
	size_t *textsecs;	/* text sections holding sites */
	size_t ntext;
	size_t symtab, first_global, nnew;
	uint32_t pc32, abs64;
	void **bufs;		/* new section contents, freed after writing */
	size_t nbufs;
};

/* Keep @p to free once libelf has written the file; returns @p. */
static void *keep(struct gen *g, void *p)
{
	void **v = p ? realloc(g->bufs, (g->nbufs + 1) * sizeof(*v)) : NULL;

	if (!v) {
		free(p);
		return NULL;
	}
	g->bufs = v;
	g->bufs[g->nbufs++] = p;
	return p;
}

static int wanted(const struct gen *g, const char *name)
{
	const char *const *k;

	if (!name[0])
		return 0;
	if (g->o->all)
		return 1;
	for (k = g->o->keys; k && *k; k++)
		if (!strcmp(*k, name))
			return 1;
	return 0;
}

/* Is the relocation @r of text section @si a call site?  Sets *off, *tail. */
static int call_site(struct gen *g, size_t si, const struct sc_rel *r,
		     uint64_t *off, int *tail)
{
	const struct sc_sec *s = &g->f.secs[si];
	uint32_t w;

	switch (g->f.machine) {
	case EM_X86_64:
		if ((r->type != R_X86_64_PLT32 && r->type != R_X86_64_PC32) ||
		    r->addend != -4 || r->off < 1 || r->off > s->size ||
		    s->size - r->off < 4)
			return 0;
		if (s->bytes[r->off - 1] != X86_CALL && s->bytes[r->off - 1] != X86_JMP)
			return 0;
		*off = r->off - 1;
		*tail = s->bytes[r->off - 1] == X86_JMP;
		return 1;
	case EM_AARCH64:
		if ((r->type != R_AARCH64_CALL26 &&
		     r->type != R_AARCH64_JUMP26) || r->addend)
			return 0;
		*off = r->off;
		*tail = r->type == R_AARCH64_JUMP26;
		return 1;
	case EM_PPC64:
		if (r->type != R_PPC64_REL24 || r->addend ||
		    r->off > s->size || s->size - r->off < 8)
			return 0;
		w = sc_get32(&g->f, s->bytes + r->off);
		if (!ppc_is_bl(w))
			return 0;
		if (sc_get32(&g->f, s->bytes + r->off + 4) != PPC_NOP) {
			if (g->o->verbose)
				fprintf(stderr, "staticcall-tool: %s+0x%llx: bl %s without nop (a local call) is not a site\n",
					s->name, (unsigned long long)r->off,
					g->f.syms[r->sym].name);
			return 0;
		}
		*off = r->off;
		*tail = 0;
		return 1;
	}
	return 0;
}

static int add_site(struct gen *g, size_t si, uint64_t off, int tail,
		    uint32_t sym)
{
	struct gen_site *t;
	size_t k;

	for (k = 0; k < g->nkeys && g->keys[k] != sym; k++)
		;
	if (k == g->nkeys) {
		uint32_t *p = realloc(g->keys, (k + 1) * sizeof(*p));

		if (!p)
			return -1;
		g->keys = p;
		g->keys[g->nkeys++] = sym;
	}
	t = realloc(g->sites, (g->nsites + 1) * sizeof(*t));
	if (!t)
		return -1;
	g->sites = t;
	t[g->nsites++] = (struct gen_site){ si, off, tail, k };
	if (!g->ntext || g->textsecs[g->ntext - 1] != si) {
		size_t *p = realloc(g->textsecs, (g->ntext + 1) * sizeof(*p));

		if (!p)
			return -1;
		g->textsecs = p;
		g->textsecs[g->ntext++] = si;
	}
	return 0;
}

static int find_sites(struct gen *g)
{
	size_t i, j;

	for (i = 1; i < g->f.nsecs; i++) {
		const struct sc_sec *s = &g->f.secs[i];

		if (!(s->sh.sh_flags & SHF_EXECINSTR) || !s->bytes)
			continue;
		for (j = 0; j < s->nrels; j++) {
			const struct sc_rel *r = &s->rels[j];
			const struct sc_sym *y;
			uint64_t off;
			int tail;

			if (r->sym >= g->f.nsyms)
				continue;
			y = &g->f.syms[r->sym];
			if (y->type == STT_SECTION || !wanted(g, y->name) ||
			    !call_site(g, i, r, &off, &tail))
				continue;
			if (add_site(g, i, off, tail, r->sym))
				return -1;
		}
	}
	return 0;
}

static void put16(const struct sc_file *f, unsigned char *p, uint16_t v)
{
	p[f->big_endian ? 0 : 1] = v >> 8;
	p[f->big_endian ? 1 : 0] = v & 0xff;
}

static void put32(const struct sc_file *f, unsigned char *p, uint32_t v)
{
	put16(f, p + (f->big_endian ? 0 : 2), v >> 16);
	put16(f, p + (f->big_endian ? 2 : 0), v & 0xffff);
}

static uint32_t remap(const struct gen *g, uint32_t sym)
{
	return sym >= g->first_global ? sym + g->nnew : sym;
}

/* Copy every Elf_Data of @in to @out unchanged. */
static int copy_data(Elf_Scn *in, Elf_Scn *out)
{
	Elf_Data *d = NULL, *nd;

	while ((d = elf_getdata(in, d))) {
		nd = elf_newdata(out);
		if (!nd)
			return -1;
		*nd = *d;
	}
	return 0;
}

static Elf_Data *new_data(Elf_Scn *scn, void *buf, size_t size, Elf_Type t,
			  size_t align)
{
	Elf_Data *d = elf_newdata(scn);

	if (!d)
		return NULL;
	d->d_buf = buf;
	d->d_size = size;
	d->d_type = t;
	d->d_align = align;
	d->d_version = EV_CURRENT;
	return d;
}

/* The symbol table with the new section symbols inserted. */
static int copy_symtab(struct gen *g, Elf_Scn *in, Elf_Scn *out,
		       size_t firstsec, GElf_Shdr *sh)
{
	Elf_Data *d = elf_getdata(in, NULL);
	size_t n = g->f.nsyms, i, j = 0;
	Elf64_Sym *v;

	if (!d)
		return -1;
	v = keep(g, calloc(n + g->nnew, sizeof(*v)));
	if (!v)
		return -1;
	for (i = 0; i <= n; i++) {
		GElf_Sym s;

		if (i == g->first_global) {
			size_t k;

			for (k = 0; k < g->nnew; k++, j++) {
				v[j].st_info = GELF_ST_INFO(STB_LOCAL,
							    STT_SECTION);
				v[j].st_shndx = k < g->ntext ? g->textsecs[k] :
					k == g->ntext ? firstsec + 2 :
					firstsec + 4;
			}
		}
		if (i == n)
			break;
		if (!gelf_getsym(d, (int)i, &s)) {
			free(v);
			return -1;
		}
		v[j++] = s;
	}
	sh->sh_info += g->nnew;
	return new_data(out, v, (n + g->nnew) * sizeof(*v), ELF_T_SYM, 8) ?
		0 : -1;
}

/* A relocation section of the input, renumbered. */
static int copy_rela(struct gen *g, Elf_Scn *in, Elf_Scn *out, int rela)
{
	Elf_Data *d = elf_getdata(in, NULL);
	size_t es = rela ? sizeof(Elf64_Rela) : sizeof(Elf64_Rel);
	size_t n, i;
	unsigned char *v;

	if (!d || (!d->d_buf && d->d_size))
		return -1;
	n = d->d_size / es;
	v = keep(g, malloc(n * es + 1));
	if (!v)
		return -1;
	if (n)
		memcpy(v, d->d_buf, n * es);
	for (i = 0; i < n; i++) {
		/* Host-order Elf64_Rel is the head of Elf64_Rela. */
		Elf64_Rel *r = (Elf64_Rel *)(v + i * es);

		r->r_info = ELF64_R_INFO(remap(g, ELF64_R_SYM(r->r_info)),
					 ELF64_R_TYPE(r->r_info));
	}
	return new_data(out, v, n * es, rela ? ELF_T_RELA : ELF_T_REL, 8) ?
		0 : -1;
}

static Elf64_Rela rela(uint64_t off, uint32_t sym, uint32_t type, int64_t add)
{
	return (Elf64_Rela){ off, ELF64_R_INFO(sym, type), add };
}

static int add_section(Elf *eo, const char *name, size_t nameoff,
		       uint32_t type, uint64_t flags, size_t link, size_t info,
		       size_t entsize, void *buf, size_t size, Elf_Type t,
		       size_t align)
{
	Elf_Scn *scn = elf_newscn(eo);
	GElf_Shdr sh;

	(void)name;
	if (!scn || !gelf_getshdr(scn, &sh))
		return -1;
	sh.sh_name = nameoff;
	sh.sh_type = type;
	sh.sh_flags = flags;
	sh.sh_link = link;
	sh.sh_info = info;
	sh.sh_entsize = entsize;
	sh.sh_addralign = align;
	if (!new_data(scn, buf, size, t, align) || !gelf_update_shdr(scn, &sh))
		return -1;
	return 0;
}

/* The new sections: their contents and relocations. */
static int add_tables(struct gen *g, Elf *eo, size_t first,
		      const size_t *names)
{
	size_t ns = g->nsites, nk = g->nkeys, i, nlen = 0;
	unsigned char *sites = keep(g, calloc(ns ? ns : 1,
					      STATICCALL_SITE_REC_SIZE));
	unsigned char *keys = keep(g, calloc(nk ? nk : 1,
					     STATICCALL_KEY_REC_SIZE));
	Elf64_Rela *srel = keep(g, calloc(2 * ns + 1, sizeof(*srel)));
	Elf64_Rela *krel = keep(g, calloc(3 * nk + 1, sizeof(*krel)));
	size_t keysym = g->first_global + g->ntext, namesym = keysym + 1;
	char *namebuf;
	size_t j;

	for (i = 0; i < nk; i++)
		nlen += strlen(g->f.syms[g->keys[i]].name) + 1;
	namebuf = keep(g, malloc(nlen + 1));
	if (!sites || !keys || !srel || !krel || !namebuf)
		return -1;
	for (i = 0; i < ns; i++) {
		const struct gen_site *t = &g->sites[i];

		for (j = 0; g->textsecs[j] != t->sec; j++)
			;
		srel[2 * i] = rela(8 * i, g->first_global + j, g->pc32,
				   t->off);
		srel[2 * i + 1] = rela(8 * i + 4, keysym, g->pc32,
				       STATICCALL_KEY_REC_SIZE * t->key + 4 +
				       (t->tail ? STATICCALL_SITE_TAIL : 0));
	}
	nlen = 0;
	for (i = 0; i < nk; i++) {
		unsigned char *p = keys + STATICCALL_KEY_REC_SIZE * i;
		const char *name = g->f.syms[g->keys[i]].name;
		uint32_t sym = remap(g, g->keys[i]);

		put32(&g->f, p, STATICCALL_KEY_MAGIC);
		put16(&g->f, p + 4, STATICCALL_ABI_VERSION);
		krel[3 * i] = rela(STATICCALL_KEY_REC_SIZE * i + 8, namesym,
				   g->pc32, nlen);
		krel[3 * i + 1] = rela(STATICCALL_KEY_REC_SIZE * i + 16, sym,
				       g->abs64, 0);
		krel[3 * i + 2] = rela(STATICCALL_KEY_REC_SIZE * i + 24, sym,
				       g->abs64, 0);
		strcpy(namebuf + nlen, name);
		nlen += strlen(name) + 1;
	}
	if (add_section(eo, "staticcall_sites", names[0], SHT_PROGBITS,
			SHF_ALLOC | SHF_GNU_RETAIN, 0, 0, 0, sites,
			ns * STATICCALL_SITE_REC_SIZE, ELF_T_BYTE, 8) ||
	    add_section(eo, ".relastaticcall_sites", names[1], SHT_RELA,
			SHF_INFO_LINK, g->symtab, first, sizeof(Elf64_Rela),
			srel, 2 * ns * sizeof(*srel), ELF_T_RELA, 8) ||
	    add_section(eo, "staticcall_keys", names[2], SHT_PROGBITS,
			SHF_ALLOC | SHF_WRITE, 0, 0, 0, keys,
			nk * STATICCALL_KEY_REC_SIZE, ELF_T_BYTE, 8) ||
	    add_section(eo, ".relastaticcall_keys", names[3], SHT_RELA,
			SHF_INFO_LINK, g->symtab, first + 2, sizeof(Elf64_Rela),
			krel, 3 * nk * sizeof(*krel), ELF_T_RELA, 8) ||
	    add_section(eo, ".rodata.staticcall_names", names[4], SHT_PROGBITS,
			SHF_ALLOC, 0, 0, 0, namebuf, nlen, ELF_T_BYTE, 1) ||
	    add_section(eo, "staticcall_index", names[5], SHT_NOBITS,
			SHF_ALLOC | SHF_WRITE | SHF_GNU_RETAIN, 0, 0, 0, NULL,
			ns * STATICCALL_SITE_REC_SIZE, ELF_T_BYTE, 8))
		return -1;
	return 0;
}

#define NEW_SECS	6
static const char *const new_names[NEW_SECS] = {
	STATICCALL_SITES_SECTION_STR, ".rela" STATICCALL_SITES_SECTION_STR,
	STATICCALL_KEYS_SECTION_STR, ".rela" STATICCALL_KEYS_SECTION_STR,
	".rodata.staticcall_names", STATICCALL_INDEX_SECTION_STR,
};

/* The section name table with the new names appended. */
static int copy_shstrtab(struct gen *g, Elf_Scn *in, Elf_Scn *out,
			 size_t *names)
{
	Elf_Data *d = elf_getdata(in, NULL);
	size_t len = d ? d->d_size : 0, add = 0, i;
	char *v;

	if (!d || (!d->d_buf && len))
		return -1;
	for (i = 0; i < NEW_SECS; i++)
		add += strlen(new_names[i]) + 1;
	v = keep(g, malloc(len + add));
	if (!v)
		return -1;
	if (len)
		memcpy(v, d->d_buf, len);
	for (i = 0; i < NEW_SECS; i++) {
		names[i] = len;
		strcpy(v + len, new_names[i]);
		len += strlen(new_names[i]) + 1;
	}
	return new_data(out, v, len, ELF_T_BYTE, 1) ? 0 : -1;
}

static int write_object(struct gen *g, Elf *eo)
{
	size_t shstrndx, i, names[NEW_SECS], first = g->f.nsecs;
	GElf_Ehdr eh;

	if (elf_getshdrstrndx(g->f.elf, &shstrndx) ||
	    !gelf_getehdr(g->f.elf, &eh) || !gelf_newehdr(eo, ELFCLASS64))
		return -1;
	/* ld honours SHF_GNU_RETAIN (keep the table under --gc-sections)
	 * only in a GNU OSABI object, as gas marks one using the flag. */
	if (eh.e_ident[EI_OSABI] == ELFOSABI_NONE)
		eh.e_ident[EI_OSABI] = ELFOSABI_GNU;
	if (!gelf_update_ehdr(eo, &eh))
		return -1;
	for (i = 1; i < g->f.nsecs; i++) {
		Elf_Scn *in = elf_getscn(g->f.elf, i), *out = elf_newscn(eo);
		GElf_Shdr sh = g->f.secs[i].sh;
		int err;

		if (!in || !out)
			return -1;
		if (i == g->symtab) {
			err = copy_symtab(g, in, out, first, &sh);
		} else if (i == shstrndx) {
			err = copy_shstrtab(g, in, out, names);
		} else if ((sh.sh_type == SHT_RELA || sh.sh_type == SHT_REL) &&
			   sh.sh_link == g->symtab) {
			err = copy_rela(g, in, out, sh.sh_type == SHT_RELA);
		} else {
			if (sh.sh_type == SHT_GROUP && sh.sh_link == g->symtab)
				sh.sh_info = remap(g, sh.sh_info);
			err = copy_data(in, out);
		}
		if (err || !gelf_update_shdr(out, &sh))
			return -1;
	}
	return add_tables(g, eo, first, names);
}

static int check_input(struct gen *g, const char *in)
{
	size_t i;

	if (!g->f.is_rel) {
		fprintf(stderr, "staticcall-tool: %s: not a relocatable object (gen works on .o files)\n",
			in);
		return -1;
	}
	for (i = 1; i < g->f.nsecs; i++) {
		const char *n = g->f.secs[i].name;

		if (!strcmp(n, STATICCALL_SITES_SECTION_STR) ||
		    !strcmp(n, STATICCALL_KEYS_SECTION_STR) ||
		    !strcmp(n, STATICCALL_INDEX_SECTION_STR)) {
			fprintf(stderr, "staticcall-tool: %s: already has a %s section\n",
				in, n);
			return -1;
		}
		if (g->f.secs[i].sh.sh_type == SHT_SYMTAB_SHNDX) {
			fprintf(stderr, "staticcall-tool: %s: extended section indices are not supported\n",
				in);
			return -1;
		}
		if (g->f.secs[i].sh.sh_type == SHT_SYMTAB && !g->symtab)
			g->symtab = i;
		/* libelf would lay the copy out as asked: a huge file. */
		if (g->f.secs[i].sh.sh_addralign > (1u << 20) ||
		    (g->f.secs[i].sh.sh_addralign &
		     (g->f.secs[i].sh.sh_addralign - 1))) {
			fprintf(stderr, "staticcall-tool: %s: section %s: alignment %llu is corrupt\n",
				in, n, (unsigned long long)g->f.secs[i].sh.sh_addralign);
			return -1;
		}
	}
	if (!g->symtab) {
		fprintf(stderr, "staticcall-tool: %s: no symbol table\n", in);
		return -1;
	}
	g->first_global = g->f.secs[g->symtab].sh.sh_info;
	if (g->first_global > g->f.nsyms || g->f.nsecs + NEW_SECS >= SHN_LORESERVE ||
	    g->f.nsyms != g->f.secs[g->symtab].sh.sh_size / sizeof(Elf64_Sym)) {
		fprintf(stderr, "staticcall-tool: %s: corrupt symbol table\n",
			in);
		return -1;
	}
	switch (g->f.machine) {
	case EM_X86_64:
		g->pc32 = R_X86_64_PC32;
		g->abs64 = R_X86_64_64;
		break;
	case EM_AARCH64:
		g->pc32 = R_AARCH64_PREL32;
		g->abs64 = R_AARCH64_ABS64;
		break;
	default:
		g->pc32 = R_PPC64_REL32;
		g->abs64 = R_PPC64_ADDR64;
		break;
	}
	return 0;
}

static void report_missing(const struct gen *g)
{
	const char *const *k;
	size_t i;

	for (k = g->o->keys; k && *k; k++) {
		for (i = 0; i < g->nkeys; i++)
			if (!strcmp(g->f.syms[g->keys[i]].name, *k))
				break;
		if (i == g->nkeys)
			fprintf(stderr, "staticcall-tool: warning: no call to %s found\n",
				*k);
	}
}

int sc_gen(const char *in, const char *out, const struct sc_gen_opts *o)
{
	struct gen g = { .o = o };
	Elf *eo = NULL;
	int fd = -1, rc = 1;

	if (sc_load_path(&g.f, in)) {
		fprintf(stderr, "staticcall-tool: %s: %s\n", in, g.f.err);
		goto out;
	}
	if (check_input(&g, in))
		goto out;
	if (find_sites(&g)) {
		fprintf(stderr, "staticcall-tool: out of memory\n");
		goto out;
	}
	report_missing(&g);
	g.nnew = g.ntext + 2;
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		fprintf(stderr, "staticcall-tool: %s: %s\n", out,
			strerror(errno));
		goto out;
	}
	eo = elf_begin(fd, ELF_C_WRITE, NULL);
	if (!eo || write_object(&g, eo) || elf_update(eo, ELF_C_WRITE) < 0) {
		fprintf(stderr, "staticcall-tool: %s: cannot write: %s\n", out,
			elf_errmsg(-1));
		unlink(out);
		goto out;
	}
	if (o->verbose)
		fprintf(stderr, "staticcall-tool: %s: %zu sites, %zu keys\n",
			out, g.nsites, g.nkeys);
	rc = 0;
out:
	if (eo)
		elf_end(eo);
	if (fd >= 0)
		close(fd);
	while (g.nbufs)
		free(g.bufs[--g.nbufs]);
	free(g.bufs);
	sc_free(&g.f);
	free(g.sites);
	free(g.keys);
	free(g.textsecs);
	return rc;
}
