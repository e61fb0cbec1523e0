/*
 * scverify.c - the checks of `staticcall-tool verify`: every site has a form
 * the runtime accepts (abi.h), lies in executable code and points to a key
 * record; no site is listed twice; key records are well formed.  One
 * problem per line; the caller turns a non-zero count into exit status 1.
 */
#include <stdlib.h>
#include <string.h>

#include "scelf.h"
#include "staticcall/abi.h"

#define P(...) sc_problem(list, n, __VA_ARGS__)

/* Alignment of @addr modulo 8 is known: linked, or section aligned >= 8. */
static int known_mod8(const struct sc_file *f, uint64_t addr)
{
	int i;

	if (!f->is_rel)
		return 1;
	i = sc_find_sec(f, addr, 0);
	return i >= 0 && f->secs[i].sh.sh_addralign >= 8;
}

static void verify_key(const struct sc_file *f, const struct sc_key *k,
		       struct sc_problem **list, size_t *n)
{
	char at[96], a[128], b[128];

	sc_fmt_addr(f, k->addr, at, sizeof(at));
	if (k->magic != STATICCALL_KEY_MAGIC ||
	    k->version != STATICCALL_ABI_VERSION)
		return;		/* reported while loading */
	if (!known_mod8(f, k->addr) || k->addr % 8)
		P("key %s: record not 8-byte aligned", at);
	if (k->flags & ~STATICCALL_KEY_FLAGS)
		P("key %s: unknown flags 0x%x", at, k->flags);
	if (k->name.kind == SC_VAL_ADDR && !k->name_str)
		P("key %s: name offset does not point to a string in the file",
		  at);
	if (k->ident.kind == SC_VAL_ADDR && !k->ident.addr && !k->ident.sym)
		P("key %s (%s): ident is null", at,
		  k->name_str ? k->name_str : "?");
	if (!(k->flags & STATICCALL_KEY_FNPTR) &&
	    !sc_val_eq(&k->ident, &k->deflt))
		P("key %s (%s): function key whose default %s is not its ident %s",
		  at, k->name_str ? k->name_str : "?",
		  sc_fmt_val(f, &k->deflt, a, sizeof(a)),
		  sc_fmt_val(f, &k->ident, b, sizeof(b)));
}

static void verify_form(const struct sc_file *f, const struct sc_site *t,
			const char *at, struct sc_problem **list, size_t *n)
{
	struct sc_insn_desc d;
	int tail = t->flags & STATICCALL_SITE_TAIL;
	uint64_t a = t->site.addr;

	if (f->machine != EM_X86_64 && a % 4)
		P("site %s: not 4-byte aligned", at);
	sc_decode(f, a, &d);
	if (d.kind == SC_INSN_BAD) {
		P("site %s: %s", at, d.why);
		return;
	}
	if (f->machine == EM_PPC64 && (tail || d.kind == SC_FORM_TAIL)) {
		P("site %s: tail site on powerpc64 (must be bl; nop)", at);
		return;
	}
	if (d.kind == SC_FORM_TAIL && !tail)
		P("site %s: %s but the TAIL flag is clear", at, d.text);
	if (d.kind == SC_FORM_CALL && tail)
		P("site %s: %s but the TAIL flag is set", at, d.text);
	if (f->machine == EM_X86_64 && (t->flags & STATICCALL_SITE_ALIGNED)) {
		if (!known_mod8(f, a))
			P("site %s: flagged ALIGNED in a section aligned to less than 8 bytes",
			  at);
		else if (a % 8 > 3)
			P("site %s: flagged ALIGNED but crosses an 8-byte word (offset %u in its word)",
			  at, (unsigned int)(a % 8));
	}
}

static void verify_site(const struct sc_file *f, const struct sc_site *t,
			struct sc_problem **list, size_t *n)
{
	char rec[96], at[200], sa[96], fn[96];
	unsigned int len = sc_site_len(f->machine);
	int i;

	sc_fmt_addr(f, t->addr, rec, sizeof(rec));
	if (!known_mod8(f, t->addr) || t->addr % 8)
		P("site record %s: not 8-byte aligned", rec);
	if (t->definition) {
		if (t->key.kind == SC_VAL_ADDR && t->key_index < 0)
			P("definition record %s: key field does not point to a key record (%s)",
			  rec, sc_fmt_addr(f, t->key.addr, sa, sizeof(sa)));
		return;
	}
	if (t->site.kind != SC_VAL_ADDR) {
		P("site record %s: site is an undefined symbol %s", rec,
		  t->site.sym);
		return;
	}
	snprintf(at, sizeof(at), "%s <%s>",
		 sc_fmt_addr(f, t->site.addr, sa, sizeof(sa)),
		 sc_fmt_sym(f, t->site.addr, fn, sizeof(fn)));
	i = sc_find_sec(f, t->site.addr, len);
	if (i < 0) {
		P("site %s: not inside a section of the file", at);
		return;
	}
	if (!(f->secs[i].sh.sh_flags & SHF_EXECINSTR))
		P("site %s: in non-executable section %s", at,
		  f->secs[i].name);
	if (t->key.kind == SC_VAL_ADDR && t->key_index < 0)
		P("site %s: key field does not point to a key record (%s)", at,
		  sc_fmt_addr(f, t->key.addr, sa, sizeof(sa)));
	verify_form(f, t, at, list, n);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void verify_dups(const struct sc_file *f, struct sc_problem **list,
			size_t *n)
{
	uint64_t *v = malloc((f->nsites + 1) * sizeof(*v));
	size_t i, m = 0;
	char sa[96], fn[96];

	if (!v) {
		P("out of memory checking duplicates");
		return;
	}
	for (i = 0; i < f->nsites; i++)
		if (f->sites[i].site.kind == SC_VAL_ADDR && !f->sites[i].definition)
			v[m++] = f->sites[i].site.addr;
	qsort(v, m, sizeof(*v), cmp_u64);
	for (i = 1; i < m; i++)
		if (v[i] == v[i - 1] && (i < 2 || v[i - 2] != v[i]))
			P("site %s <%s>: listed more than once",
			  sc_fmt_addr(f, v[i], sa, sizeof(sa)),
			  sc_fmt_sym(f, v[i], fn, sizeof(fn)));
	free(v);
}

size_t sc_verify(const struct sc_file *f, struct sc_problem **list, size_t *n)
{
	size_t i, before = *n;

	for (i = 0; i < f->nproblems; i++)
		P("%s", f->problems[i].text);
	for (i = 0; i < f->nkeys; i++)
		verify_key(f, &f->keys[i], list, n);
	for (i = 0; i < f->nsites; i++)
		verify_site(f, &f->sites[i], list, n);
	verify_dups(f, list, n);
	return *n - before;
}
