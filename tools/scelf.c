/*
 * scelf.c - read an ELF file (relocatable, executable or shared object of
 * x86-64, aarch64 or powerpc64) with libelf and decode its staticcall
 * tables (include/staticcall/abi.h) into struct sc_file.
 *
 * Relocatable objects: the relocations of each table section are applied
 * here (PC-relative 32-bit fields, absolute 64-bit ident/deflt) against
 * synthetic section addresses.  Linked files: the fields are already
 * resolved; ident/deflt may still be set by a dynamic relocation, which is
 * looked up and reported.
 *
 * Every read is bounds-checked: a corrupt file gives an error or a problem
 * line, never a crash (the parser is fuzzed, tools/fuzz/).
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

#include "scelf.h"
#include "staticcall/abi.h"

/* A table field is one of these two kinds of relocation. */
enum { RK_NONE, RK_PC32, RK_ABS64, RK_RELATIVE, RK_DYNSYM };

static int rel_kind(unsigned int machine, uint32_t type)
{
	switch (machine) {
	case EM_X86_64:
		switch (type) {
		case R_X86_64_PC32: case R_X86_64_PLT32: return RK_PC32;
		case R_X86_64_64: return RK_ABS64;
		case R_X86_64_RELATIVE: return RK_RELATIVE;
		case R_X86_64_GLOB_DAT: case R_X86_64_JUMP_SLOT: return RK_DYNSYM;
		}
		break;
	case EM_AARCH64:
		switch (type) {
		case R_AARCH64_PREL32: return RK_PC32;
		case R_AARCH64_ABS64: return RK_ABS64;
		case R_AARCH64_RELATIVE: return RK_RELATIVE;
		case R_AARCH64_GLOB_DAT: case R_AARCH64_JUMP_SLOT: return RK_DYNSYM;
		}
		break;
	case EM_PPC64:
		switch (type) {
		case R_PPC64_REL32: return RK_PC32;
		case R_PPC64_ADDR64: return RK_ABS64;
		case R_PPC64_RELATIVE: return RK_RELATIVE;
		case R_PPC64_GLOB_DAT: case R_PPC64_JMP_SLOT: return RK_DYNSYM;
		}
		break;
	}
	return RK_NONE;
}

void sc_problem(struct sc_problem **list, size_t *n, const char *fmt, ...)
{
	struct sc_problem *p;
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (!s)
		return;
	p = realloc(*list, (*n + 1) * sizeof(**list));
	if (!p) {
		free(s);
		return;
	}
	p[*n].text = s;
	*list = p;
	(*n)++;
}

static int fail(struct sc_file *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct sc_file *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->err, sizeof(f->err), fmt, ap);
	va_end(ap);
	return -1;
}

const char *sc_machine_name(unsigned int machine)
{
	switch (machine) {
	case EM_X86_64: return "x86_64";
	case EM_AARCH64: return "aarch64";
	case EM_PPC64: return "powerpc64";
	}
	return "unknown";
}

unsigned int sc_site_len(unsigned int machine)
{
	return machine == EM_X86_64 ? 5 : 4;
}

uint32_t sc_get32(const struct sc_file *f, const unsigned char *p)
{
	if (f->big_endian)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		       (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

uint64_t sc_get64(const struct sc_file *f, const unsigned char *p)
{
	uint64_t a = sc_get32(f, p), b = sc_get32(f, p + 4);

	return f->big_endian ? a << 32 | b : b << 32 | a;
}

/* The section holding [addr, addr + len) with readable bytes, or -1. */
int sc_find_sec(const struct sc_file *f, uint64_t addr, uint64_t len)
{
	size_t i;

	for (i = 1; i < f->nsecs; i++) {
		const struct sc_sec *s = &f->secs[i];

		if (!s->bytes || (!f->is_rel && !(s->sh.sh_flags & SHF_ALLOC)))
			continue;
		if (addr >= s->addr && addr - s->addr <= s->size &&
		    len <= s->size - (addr - s->addr))
			return (int)i;
	}
	return -1;
}

int sc_read(const struct sc_file *f, uint64_t addr, void *buf, size_t len)
{
	int i = sc_find_sec(f, addr, len);

	if (i < 0)
		return -1;
	memcpy(buf, f->secs[i].bytes + (addr - f->secs[i].addr), len);
	return 0;
}

const struct sc_rel *sc_rel_at(const struct sc_sec *s, uint64_t off)
{
	size_t lo = 0, hi = s->nrels;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->rels[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->nrels && s->rels[lo].off == off ? &s->rels[lo] : NULL;
}

static const struct sc_dynrel *dynrel_at(const struct sc_file *f, uint64_t addr)
{
	size_t lo = 0, hi = f->ndynrels;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->dynrels[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < f->ndynrels && f->dynrels[lo].addr == addr ?
		&f->dynrels[lo] : NULL;
}

static int cmp_rel(const void *a, const void *b)
{
	const struct sc_rel *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

static int cmp_dynrel(const void *a, const void *b)
{
	const struct sc_dynrel *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static const struct sc_file *sort_file;	/* qsort has no context argument */

static int cmp_func(const void *a, const void *b)
{
	const struct sc_sym *x = &sort_file->syms[*(const size_t *)a];
	const struct sc_sym *y = &sort_file->syms[*(const size_t *)b];

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int cmp_key(const void *a, const void *b)
{
	const struct sc_key *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int load_sections(struct sc_file *f)
{
	size_t n, shstrndx, i;
	uint64_t base = 0x10000;

	if (elf_getshdrnum(f->elf, &n) || elf_getshdrstrndx(f->elf, &shstrndx))
		return fail(f, "cannot read the section headers: %s",
			    elf_errmsg(-1));
	if (n == 0)
		return fail(f, "no section headers");
	f->secs = calloc(n, sizeof(*f->secs));
	if (!f->secs)
		return fail(f, "out of memory");
	f->nsecs = n;
	for (i = 1; i < n; i++) {
		struct sc_sec *s = &f->secs[i];
		Elf_Scn *scn = elf_getscn(f->elf, i);
		Elf_Data *d;

		if (!scn || !gelf_getshdr(scn, &s->sh))
			return fail(f, "section %zu: unreadable header: %s", i,
				    elf_errmsg(-1));
		s->name = elf_strptr(f->elf, shstrndx, s->sh.sh_name);
		if (!s->name)
			s->name = "?";
		if (s->sh.sh_type != SHT_NOBITS && s->sh.sh_size) {
			d = elf_rawdata(scn, NULL);
			if (d && d->d_buf && d->d_size == s->sh.sh_size) {
				s->bytes = d->d_buf;
				s->size = d->d_size;
			}
		}
		if (f->is_rel) {
			/* Distinct, 64 KiB aligned: keeps every alignment. */
			s->addr = base;
			if (s->sh.sh_size > (1ULL << 40))
				return fail(f, "section %s: size 0x%llx is corrupt",
					    s->name,
					    (unsigned long long)s->sh.sh_size);
			base += (s->sh.sh_size + 0x1ffff) & ~0xffffULL;
		} else {
			s->addr = s->sh.sh_addr;
		}
	}
	return 0;
}

/* Read the symbol table at section @idx into @syms (allocated). */
static int read_symtab(struct sc_file *f, size_t idx, struct sc_sym **out,
		       size_t *nout)
{
	struct sc_sec *s = &f->secs[idx];
	Elf_Scn *scn = elf_getscn(f->elf, idx);
	Elf_Data *d = scn ? elf_getdata(scn, NULL) : NULL;
	struct sc_sym *syms;
	size_t n, i;

	*out = NULL;
	*nout = 0;
	/* NOBITS or unreadable: no buffer, whatever d_size says. */
	if (!d || !d->d_buf || !s->sh.sh_entsize)
		return 0;
	n = d->d_size / sizeof(Elf64_Sym);
	syms = calloc(n ? n : 1, sizeof(*syms));
	if (!syms)
		return fail(f, "out of memory");
	for (i = 0; i < n; i++) {
		GElf_Sym sym;
		struct sc_sym *y = &syms[i];

		if (!gelf_getsym(d, (int)i, &sym))
			break;
		y->name = elf_strptr(f->elf, s->sh.sh_link, sym.st_name);
		if (!y->name)
			y->name = "";
		y->type = GELF_ST_TYPE(sym.st_info);
		y->bind = GELF_ST_BIND(sym.st_info);
		y->other = sym.st_other;
		y->size = sym.st_size;
		y->shndx = sym.st_shndx;
		if (sym.st_shndx == SHN_ABS) {
			y->defined = 1;
			y->addr = sym.st_value;
		} else if (sym.st_shndx != SHN_UNDEF &&
			   sym.st_shndx < SHN_LORESERVE &&
			   sym.st_shndx < f->nsecs) {
			y->defined = 1;
			y->addr = f->is_rel ?
				f->secs[sym.st_shndx].addr + sym.st_value :
				sym.st_value;
		}
	}
	*out = syms;
	*nout = i;	/* the symbols actually read */
	return 0;
}

static int load_symbols(struct sc_file *f)
{
	size_t i, symtab = 0, dynsym = 0;

	for (i = 1; i < f->nsecs; i++) {
		if (f->secs[i].sh.sh_type == SHT_SYMTAB && !symtab)
			symtab = i;
		if (f->secs[i].sh.sh_type == SHT_DYNSYM && !dynsym)
			dynsym = i;
	}
	if (!symtab)
		symtab = dynsym;
	if (symtab && read_symtab(f, symtab, &f->syms, &f->nsyms))
		return -1;
	f->funcs = calloc(f->nsyms ? f->nsyms : 1, sizeof(*f->funcs));
	if (!f->funcs)
		return fail(f, "out of memory");
	for (i = 1; i < f->nsyms; i++) {
		const struct sc_sym *y = &f->syms[i];

		if (!y->defined || y->shndx >= f->nsecs || !y->name[0] ||
		    !(f->secs[y->shndx].sh.sh_flags & SHF_EXECINSTR))
			continue;
		/* Not local labels, not aarch64 mapping symbols ($x, $d). */
		if (y->type == STT_FUNC ||
		    (y->type == STT_NOTYPE && strncmp(y->name, ".L", 2) &&
		     y->name[0] != '$'))
			f->funcs[f->nfuncs++] = i;
	}
	sort_file = f;
	qsort(f->funcs, f->nfuncs, sizeof(*f->funcs), cmp_func);
	return 0;
}

static int add_rel(struct sc_file *f, struct sc_sec *s, const struct sc_rel *r)
{
	struct sc_rel *p = realloc(s->rels, (s->nrels + 1) * sizeof(*p));

	if (!p)
		return fail(f, "out of memory");
	p[s->nrels++] = *r;
	s->rels = p;
	return 0;
}

static int add_dynrel(struct sc_file *f, const struct sc_dynrel *r)
{
	struct sc_dynrel *p = realloc(f->dynrels,
				      (f->ndynrels + 1) * sizeof(*p));

	if (!p)
		return fail(f, "out of memory");
	p[f->ndynrels++] = *r;
	f->dynrels = p;
	return 0;
}

static int add_pltname(struct sc_file *f, const char *name)
{
	const char **p = realloc(f->pltnames,
				 (f->npltnames + 1) * sizeof(*p));

	if (!p)
		return fail(f, "out of memory");
	p[f->npltnames++] = name;
	f->pltnames = p;
	return 0;
}

/* A dynamic relocation of a linked file; .rela.plt also names PLT slots. */
static int add_dyn(struct sc_file *f, const struct sc_sec *s,
		   const struct sc_rel *r, const struct sc_sym *dsyms,
		   size_t ndsyms)
{
	const char *name = r->sym && r->sym < ndsyms ? dsyms[r->sym].name : NULL;
	struct sc_dynrel dr = {
		.addr = r->off, .type = r->type, .addend = r->addend,
		.sym = name,
	};

	if (!strcmp(s->name, ".rela.plt") &&
	    rel_kind(f->machine, r->type) == RK_DYNSYM &&
	    add_pltname(f, name ? name : "?"))
		return -1;
	return add_dynrel(f, &dr);
}

/*
 * Relocations: in a relocatable object, those of every section (kept for
 * tables and text); in a linked file, the dynamic ones (r_offset is an
 * address).  Only what the tables and sites need is looked at later.
 */
static int load_relocs(struct sc_file *f)
{
	size_t i, j;

	for (i = 1; i < f->nsecs; i++) {
		struct sc_sec *s = &f->secs[i];
		Elf_Scn *scn;
		Elf_Data *d;
		struct sc_sym *dsyms = NULL;
		size_t ndsyms = 0, n;
		int rela = s->sh.sh_type == SHT_RELA;

		if (!rela && s->sh.sh_type != SHT_REL)
			continue;
		scn = elf_getscn(f->elf, i);
		d = scn ? elf_getdata(scn, NULL) : NULL;
		if (!d || !d->d_buf) {
			sc_problem(&f->problems, &f->nproblems,
				   "%s: unreadable relocation section", s->name);
			continue;
		}
		n = d->d_size / (rela ? sizeof(Elf64_Rela) : sizeof(Elf64_Rel));
		if (f->is_rel && (s->sh.sh_info == 0 || s->sh.sh_info >= f->nsecs))
			continue;
		if (!f->is_rel && s->sh.sh_link && s->sh.sh_link < f->nsecs &&
		    read_symtab(f, s->sh.sh_link, &dsyms, &ndsyms))
			return -1;
		for (j = 0; j < n; j++) {
			GElf_Rela ra;
			GElf_Rel rl;
			struct sc_rel r;
			int err;

			if (rela) {
				if (!gelf_getrela(d, (int)j, &ra))
					break;
			} else {
				if (!gelf_getrel(d, (int)j, &rl))
					break;
				ra.r_offset = rl.r_offset;
				ra.r_info = rl.r_info;
				ra.r_addend = 0;	/* read from the field */
			}
			r.implicit = !rela;
			r.off = ra.r_offset;
			r.type = GELF_R_TYPE(ra.r_info);
			r.sym = GELF_R_SYM(ra.r_info);
			r.addend = ra.r_addend;
			if (f->is_rel) {
				if (r.sym >= f->nsyms && r.type) {
					sc_problem(&f->problems, &f->nproblems,
						   "%s: relocation %zu: symbol index %u out of range",
						   s->name, j, r.sym);
					continue;
				}
				err = add_rel(f, &f->secs[s->sh.sh_info], &r);
			} else {
				err = add_dyn(f, s, &r, dsyms, ndsyms);
			}
			if (err) {
				free(dsyms);
				return -1;
			}
		}
		free(dsyms);
	}
	for (i = 1; i < f->nsecs; i++)
		if (f->secs[i].nrels)
			qsort(f->secs[i].rels, f->secs[i].nrels,
			      sizeof(struct sc_rel), cmp_rel);
	if (f->ndynrels)
		qsort(f->dynrels, f->ndynrels, sizeof(*f->dynrels), cmp_dynrel);
	return 0;
}

/*
 * A 32-bit PC-relative field at @off of section @si: the address
 * @base + field, where the field holds target - address-of-field.  @low
 * gets the low three bits of the field (the site flags).
 */
static void read_pc32(struct sc_file *f, size_t si, uint64_t off,
		      uint64_t base, struct sc_val *v, unsigned int *low)
{
	const struct sc_sec *s = &f->secs[si];
	uint64_t p = s->addr + off;
	const struct sc_rel *r = f->is_rel ? sc_rel_at(s, off) : NULL;
	int32_t raw = (int32_t)sc_get32(f, s->bytes + off);
	uint64_t field;		/* unsigned: corrupt addends wrap, no UB */

	memset(v, 0, sizeof(*v));
	if (!r) {
		v->kind = SC_VAL_ADDR;
		v->addr = base + (int64_t)raw;
		*low = (uint32_t)raw & 7;
		return;
	}
	if (rel_kind(f->machine, r->type) != RK_PC32)
		sc_problem(&f->problems, &f->nproblems,
			   "%s+0x%llx: unexpected relocation type %u for a PC-relative field",
			   s->name, (unsigned long long)off, r->type);
	/* RELA: addend in the entry; REL: in the field. */
	field = r->implicit ? (uint64_t)(int64_t)raw : (uint64_t)r->addend;
	if (r->sym < f->nsyms && f->syms[r->sym].defined) {
		v->kind = SC_VAL_ADDR;
		v->addr = f->syms[r->sym].addr + field - p + base;
		if (f->syms[r->sym].type != STT_SECTION &&
		    v->addr == f->syms[r->sym].addr)
			v->sym = f->syms[r->sym].name;
		*low = (uint32_t)(f->syms[r->sym].addr + field - p) & 7;
	} else {
		v->kind = SC_VAL_SYM;
		v->sym = r->sym < f->nsyms ? f->syms[r->sym].name : "?";
		v->addend = (int64_t)(field - (p - base));
		*low = (uint32_t)(field - p) & 7;
	}
}

/* An absolute 64-bit field (ident, deflt) at @off of section @si. */
static void read_abs64(struct sc_file *f, size_t si, uint64_t off,
		       struct sc_val *v)
{
	const struct sc_sec *s = &f->secs[si];
	uint64_t raw = sc_get64(f, s->bytes + off);
	const struct sc_dynrel *dr;
	const struct sc_rel *r;

	memset(v, 0, sizeof(*v));
	v->kind = SC_VAL_ADDR;
	v->addr = raw;
	if (f->is_rel) {
		r = sc_rel_at(s, off);
		if (!r)
			return;
		if (rel_kind(f->machine, r->type) != RK_ABS64)
			sc_problem(&f->problems, &f->nproblems,
				   "%s+0x%llx: unexpected relocation type %u for an absolute field",
				   s->name, (unsigned long long)off, r->type);
		v->sym = r->sym < f->nsyms ? f->syms[r->sym].name : "?";
		v->addend = r->implicit ? (int64_t)raw : r->addend;
		if (r->sym < f->nsyms && f->syms[r->sym].defined) {
			v->addr = f->syms[r->sym].addr + v->addend;
			if (v->addend || f->syms[r->sym].type == STT_SECTION)
				v->sym = NULL;
			v->addend = 0;
		} else {
			v->kind = SC_VAL_SYM;
		}
		return;
	}
	dr = dynrel_at(f, s->addr + off);
	if (!dr)
		return;
	switch (rel_kind(f->machine, dr->type)) {
	case RK_RELATIVE:
		v->addr = dr->addend;
		break;
	case RK_ABS64:
	case RK_DYNSYM:
		v->kind = SC_VAL_DYNAMIC;
		v->sym = dr->sym ? dr->sym : "?";
		v->addend = dr->addend;
		break;
	default:
		v->kind = SC_VAL_DYNAMIC;
		v->sym = "?";
		v->addend = dr->type;
		break;
	}
}

static const char *read_string(const struct sc_file *f, uint64_t addr)
{
	int i = sc_find_sec(f, addr, 1);
	const struct sc_sec *s;
	const char *p;

	if (i < 0)
		return NULL;
	s = &f->secs[i];
	p = (const char *)s->bytes + (addr - s->addr);
	if (!memchr(p, 0, s->size - (addr - s->addr)))
		return NULL;
	return p;
}

static int check_table(struct sc_file *f, struct sc_sec *s, size_t recsize)
{
	if (s->sh.sh_type == SHT_NOBITS)
		return fail(f, "section %s has no contents (NOBITS)", s->name);
	if (s->sh.sh_size % recsize)
		return fail(f, "section %s: size %llu is not a multiple of the record size %zu",
			    s->name, (unsigned long long)s->sh.sh_size, recsize);
	if (s->sh.sh_size && !s->bytes)
		return fail(f, "section %s: contents beyond the end of the file (truncated?)",
			    s->name);
	return 0;
}

static int load_keys(struct sc_file *f)
{
	size_t i, n = 0;
	uint64_t off;
	unsigned int low;

	for (i = 1; i < f->nsecs; i++) {
		struct sc_sec *s = &f->secs[i];

		if (strcmp(s->name, STATICCALL_KEYS_SECTION_STR))
			continue;
		if (check_table(f, s, STATICCALL_KEY_REC_SIZE))
			return -1;
		n += s->size / STATICCALL_KEY_REC_SIZE;
	}
	f->keys = calloc(n ? n : 1, sizeof(*f->keys));
	if (!f->keys)
		return fail(f, "out of memory");
	for (i = 1; i < f->nsecs; i++) {
		struct sc_sec *s = &f->secs[i];

		if (strcmp(s->name, STATICCALL_KEYS_SECTION_STR))
			continue;
		for (off = 0; off + STATICCALL_KEY_REC_SIZE <= s->size;
		     off += STATICCALL_KEY_REC_SIZE) {
			struct sc_key *k = &f->keys[f->nkeys++];
			const unsigned char *p = s->bytes + off;

			k->addr = s->addr + off;
			k->sec = i;
			k->magic = sc_get32(f, p);
			k->version = f->big_endian ? p[4] << 8 | p[5] :
						     p[5] << 8 | p[4];
			k->flags = f->big_endian ? p[6] << 8 | p[7] :
						   p[7] << 8 | p[6];
			if (k->magic != STATICCALL_KEY_MAGIC) {
				sc_problem(&f->problems, &f->nproblems,
					   "%s+0x%llx: key record has bad magic 0x%08x (expected 0x%08x)",
					   s->name, (unsigned long long)off,
					   k->magic, STATICCALL_KEY_MAGIC);
				continue;
			}
			if (k->version != STATICCALL_ABI_VERSION) {
				sc_problem(&f->problems, &f->nproblems,
					   "%s+0x%llx: key record of unknown version %u (this tool reads version %u)",
					   s->name, (unsigned long long)off,
					   k->version, STATICCALL_ABI_VERSION);
				continue;
			}
			read_pc32(f, i, off + 8, s->addr + off + 8, &k->name,
				  &low);
			read_abs64(f, i, off + 16, &k->ident);
			read_abs64(f, i, off + 24, &k->deflt);
			if (k->name.kind == SC_VAL_ADDR)
				k->name_str = read_string(f, k->name.addr);
		}
	}
	qsort(f->keys, f->nkeys, sizeof(*f->keys), cmp_key);
	return 0;
}

static long find_key(const struct sc_file *f, uint64_t addr)
{
	size_t lo = 0, hi = f->nkeys;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->keys[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < f->nkeys && f->keys[lo].addr == addr ? (long)lo : -1;
}

static int load_sites(struct sc_file *f)
{
	size_t i, n = 0;
	uint64_t off;

	for (i = 1; i < f->nsecs; i++) {
		struct sc_sec *s = &f->secs[i];

		if (strcmp(s->name, STATICCALL_SITES_SECTION_STR))
			continue;
		if (check_table(f, s, STATICCALL_SITE_REC_SIZE))
			return -1;
		n += s->size / STATICCALL_SITE_REC_SIZE;
	}
	f->sites = calloc(n ? n : 1, sizeof(*f->sites));
	if (!f->sites)
		return fail(f, "out of memory");
	for (i = 1; i < f->nsecs; i++) {
		struct sc_sec *s = &f->secs[i];

		if (strcmp(s->name, STATICCALL_SITES_SECTION_STR))
			continue;
		for (off = 0; off + STATICCALL_SITE_REC_SIZE <= s->size;
		     off += STATICCALL_SITE_REC_SIZE) {
			struct sc_site *t = &f->sites[f->nsites++];
			uint64_t rec = s->addr + off;
			unsigned int low;

			t->addr = rec;
			t->sec = i;
			read_pc32(f, i, off, rec, &t->site, &low);
			read_pc32(f, i, off + 4, rec, &t->key, &t->flags);
			t->flags &= STATICCALL_SITE_FLAGS;
			if (t->key.kind == SC_VAL_ADDR)
				t->key.addr &= ~(uint64_t)STATICCALL_SITE_FLAGS;
			else
				t->key.addend &= ~(int64_t)STATICCALL_SITE_FLAGS;
			t->key_index = t->key.kind == SC_VAL_ADDR ?
				find_key(f, t->key.addr) : -1;
			t->definition = !t->flags && sc_val_eq(&t->site, &t->key);
			f->ndefinitions += t->definition;
		}
	}
	return 0;
}

int sc_load_mem(struct sc_file *f, const char *name, void *buf, size_t len)
{
	GElf_Ehdr eh;
	const char *id;

	memset(f, 0, sizeof(*f));
	f->path = name;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return fail(f, "libelf is out of date");
	f->elf = elf_memory(buf, len);
	if (!f->elf)
		return fail(f, "not readable as ELF: %s", elf_errmsg(-1));
	if (elf_kind(f->elf) != ELF_K_ELF)
		return fail(f, "not an ELF file");
	id = elf_getident(f->elf, NULL);
	if (!id || gelf_getclass(f->elf) != ELFCLASS64)
		return fail(f, "not a 64-bit ELF file (staticcall tables are 64-bit only)");
	if (id[EI_DATA] != ELFDATA2LSB && id[EI_DATA] != ELFDATA2MSB)
		return fail(f, "unknown ELF data encoding %d", id[EI_DATA]);
	f->big_endian = id[EI_DATA] == ELFDATA2MSB;
	if (!gelf_getehdr(f->elf, &eh))
		return fail(f, "cannot read the ELF header: %s", elf_errmsg(-1));
	f->machine = eh.e_machine;
	f->elf_type = eh.e_type;
	f->is_rel = eh.e_type == ET_REL;
	if (f->machine != EM_X86_64 && f->machine != EM_AARCH64 &&
	    f->machine != EM_PPC64)
		return fail(f, "unsupported machine %u (x86_64, aarch64 and powerpc64 only)",
			    f->machine);
	if (load_sections(f) || load_symbols(f) || load_relocs(f) ||
	    load_keys(f) || load_sites(f))
		return -1;
	return 0;
}

int sc_load_path(struct sc_file *f, const char *path)
{
	struct stat st;
	ssize_t got;
	size_t done = 0;
	void *buf;
	int fd = open(path, O_RDONLY);
	int rc;

	memset(f, 0, sizeof(*f));
	f->path = path;
	if (fd < 0)
		return fail(f, "%s", strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return fail(f, "not a regular file");
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf) {
		close(fd);
		return fail(f, "out of memory");
	}
	while (done < (size_t)st.st_size) {
		got = read(fd, (char *)buf + done, st.st_size - done);
		if (got <= 0)
			break;
		done += got;
	}
	close(fd);
	rc = sc_load_mem(f, path, buf, done);
	f->own_buf = buf;	/* sc_load_mem() cleared f first */
	return rc;
}

void sc_free(struct sc_file *f)
{
	size_t i;

	for (i = 0; i < f->nsecs; i++)
		free(f->secs[i].rels);
	for (i = 0; i < f->nproblems; i++)
		free(f->problems[i].text);
	free(f->problems);
	free(f->secs);
	free(f->syms);
	free(f->funcs);
	free(f->dynrels);
	free(f->pltnames);
	free(f->keys);
	free(f->sites);
	if (f->elf)
		elf_end(f->elf);
	free(f->own_buf);
	memset(f, 0, sizeof(*f));
}

static int name_unique(const struct sc_file *f, size_t i)
{
	size_t j;

	for (j = 1; j < f->nsecs; j++)
		if (j != i && !strcmp(f->secs[j].name, f->secs[i].name))
			return 0;
	return 1;
}

/*
 * "section+0xoff" in a relocatable object ("section[index]+0xoff" when
 * several sections have that name, as COMDAT copies do), "0xaddr"
 * otherwise.
 */
char *sc_fmt_addr(const struct sc_file *f, uint64_t addr, char *buf, size_t n)
{
	size_t i;

	if (f->is_rel) {
		for (i = 1; i < f->nsecs; i++) {
			const struct sc_sec *s = &f->secs[i];

			if (addr >= s->addr && addr - s->addr <= s->sh.sh_size) {
				snprintf(buf, n, "%s", s->name);
				if (!name_unique(f, i))
					snprintf(buf + strlen(buf),
						 n - strlen(buf), "[%zu]", i);
				snprintf(buf + strlen(buf), n - strlen(buf),
					 "+0x%llx",
					 (unsigned long long)(addr - s->addr));
				return buf;
			}
		}
	}
	snprintf(buf, n, "0x%llx", (unsigned long long)addr);
	return buf;
}

/*
 * The symbol a PLT entry at @addr calls, from the order of .rela.plt:
 * x86-64 .plt (16-byte PLT0, 16-byte entries) and .plt.sec (16-byte
 * entries); aarch64 .plt (32-byte PLT0, 16-byte entries).  NULL otherwise.
 */
static const char *plt_name(const struct sc_file *f, uint64_t addr)
{
	uint64_t off, head;
	int i = sc_find_sec(f, addr, 1);
	const char *name;

	if (i < 0 || f->is_rel || !f->npltnames)
		return NULL;
	name = f->secs[i].name;
	off = addr - f->secs[i].addr;
	if (!strcmp(name, ".plt.sec"))
		head = 0;
	else if (!strcmp(name, ".plt") && f->machine == EM_X86_64)
		head = 16;
	else if (!strcmp(name, ".plt") && f->machine == EM_AARCH64)
		head = 32;
	else
		return NULL;
	if (off < head || (off - head) % 16 || (off - head) / 16 >= f->npltnames)
		return NULL;
	return f->pltnames[(off - head) / 16];
}

/* "function+0xoff" of the code symbol at or before @addr, or "?". */
char *sc_fmt_sym(const struct sc_file *f, uint64_t addr, char *buf, size_t n)
{
	size_t lo = 0, hi = f->nfuncs;
	const struct sc_sym *y;
	const char *plt = plt_name(f, addr);

	if (plt) {
		snprintf(buf, n, "%s@plt", plt);
		return buf;
	}

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->syms[f->funcs[mid]].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo) {
		snprintf(buf, n, "?");
		return buf;
	}
	y = &f->syms[f->funcs[lo - 1]];
	if (y->size && addr - y->addr >= y->size)
		snprintf(buf, n, "?");
	else if (addr == y->addr)
		snprintf(buf, n, "%s", y->name);
	else
		snprintf(buf, n, "%s+0x%llx", y->name,
			 (unsigned long long)(addr - y->addr));
	return buf;
}

const char *sc_fmt_data(const struct sc_file *f, uint64_t addr, char *buf,
			size_t n)
{
	const struct sc_sym *best = NULL;
	size_t i;

	for (i = 1; i < f->nsyms; i++) {
		const struct sc_sym *y = &f->syms[i];

		if (!y->defined || !y->name[0] || y->shndx >= f->nsecs ||
		    (f->secs[y->shndx].sh.sh_flags & SHF_EXECINSTR) ||
		    (y->type != STT_OBJECT && y->type != STT_NOTYPE) ||
		    !strncmp(y->name, ".L", 2) || y->name[0] == '$' ||
		    y->addr > addr)
			continue;
		if (y->addr != addr && (!y->size || addr - y->addr >= y->size))
			continue;
		/* an exact match, the object symbol before a label */
		if (!best || y->addr > best->addr ||
		    (y->addr == best->addr && y->type == STT_OBJECT))
			best = y;
	}
	if (!best)
		return NULL;
	if (best->addr == addr)
		snprintf(buf, n, "%s", best->name);
	else
		snprintf(buf, n, "%s+0x%llx", best->name,
			 (unsigned long long)(addr - best->addr));
	return buf;
}

char *sc_fmt_val(const struct sc_file *f, const struct sc_val *v,
		 char *buf, size_t n)
{
	char a[96];

	switch (v->kind) {
	case SC_VAL_ADDR:
		if (v->sym && v->sym[0])
			snprintf(buf, n, "%s", v->sym);
		else if (!v->addr)
			snprintf(buf, n, "0");
		else
			sc_fmt_sym(f, v->addr, buf, n);
		if (!strcmp(buf, "?"))
			snprintf(buf, n, "%s", sc_fmt_addr(f, v->addr, a, sizeof(a)));
		break;
	case SC_VAL_SYM:
	case SC_VAL_DYNAMIC:
		snprintf(buf, n, "%s%s", v->kind == SC_VAL_DYNAMIC ?
			 "dynamic:" : "", v->sym);
		if (v->addend) {
			size_t l = strlen(buf);

			snprintf(buf + l, n - l, "%+lld", (long long)v->addend);
		}
		break;
	}
	return buf;
}

int sc_val_eq(const struct sc_val *a, const struct sc_val *b)
{
	if (a->kind != b->kind)
		return 0;
	if (a->kind == SC_VAL_ADDR)
		return a->addr == b->addr;
	return a->addend == b->addend && a->sym && b->sym &&
	       !strcmp(a->sym, b->sym);
}
