/*
 * sclist.c - the output of `staticcall-tool list`: one line per key and per
 * site (text), or one JSON document (--json).  Both carry the same fields;
 * doc/tool.md describes them.
 */
#include <string.h>

#include "scelf.h"
#include "staticcall/abi.h"

static const char *type_name(const struct sc_file *f)
{
	switch (f->elf_type) {
	case ET_REL: return "rel";
	case ET_EXEC: return "exec";
	case ET_DYN: return "dyn";
	}
	return "other";
}

/* Bit 2 is per CPU: ALIGNED on x86-64, TOC_SAVED on powerpc64 (abi.h). */
static char *site_flags(unsigned int machine, unsigned int fl, char *buf,
			size_t n, const char *sep)
{
	buf[0] = 0;
	if (fl & STATICCALL_SITE_TAIL)
		snprintf(buf + strlen(buf), n - strlen(buf), "%stail",
			 buf[0] ? sep : "");
	if (fl & STATICCALL_SITE_INIT)
		snprintf(buf + strlen(buf), n - strlen(buf), "%sinit",
			 buf[0] ? sep : "");
	if (fl & STATICCALL_SITE_ALIGNED)
		snprintf(buf + strlen(buf), n - strlen(buf), "%s%s",
			 buf[0] ? sep : "",
			 machine == EM_PPC64 ? "toc-saved" : "aligned");
	return buf;
}

static char *key_flags(unsigned int fl, char *buf, size_t n, const char *sep)
{
	buf[0] = 0;
	if (fl & STATICCALL_KEY_FNPTR)
		snprintf(buf, n, "fnptr");
	if (fl & STATICCALL_KEY_VOID)
		snprintf(buf + strlen(buf), n - strlen(buf), "%svoid",
			 buf[0] ? sep : "");
	return buf;
}

/*
 * A value as the list shows it.  The x86-64 plugin makes a tail site to a
 * local target jump to a weak hidden alias "__staticcall_tail.<f>.<n>.<hex>"
 * at f's address (doc/plugin.md); the list names f itself.
 */
static char *fmt_val(const struct sc_file *f, const struct sc_val *v,
		     char *buf, size_t n)
{
	static const char tail[] = "__staticcall_tail.";
	char *dot;
	int i;

	sc_fmt_val(f, v, buf, n);
	if (strncmp(buf, tail, sizeof(tail) - 1))
		return buf;
	for (i = 0; i < 2 && (dot = strrchr(buf, '.')); i++)
		*dot = 0;
	memmove(buf, buf + sizeof(tail) - 1, strlen(buf) - sizeof(tail) + 2);
	return buf;
}

/* A key's ident: a pointer key's is its variable, named as data. */
static const char *ident_label(const struct sc_file *f, const struct sc_key *k,
			       char *buf, size_t n)
{
	if ((k->flags & STATICCALL_KEY_FNPTR) && k->ident.kind == SC_VAL_ADDR &&
	    !(k->ident.sym && k->ident.sym[0]) &&
	    sc_fmt_data(f, k->ident.addr, buf, n))
		return buf;
	return fmt_val(f, &k->ident, buf, n);
}

static const char *key_label(const struct sc_file *f, const struct sc_site *t,
			     char *buf, size_t n)
{
	const struct sc_key *k;

	if (t->key_index < 0)
		return fmt_val(f, &t->key, buf, n);
	k = &f->keys[t->key_index];
	if (k->name_str)
		return k->name_str;
	return sc_fmt_addr(f, k->addr, buf, n);
}

static char *hex(const struct sc_insn_desc *d, char *buf, const char *sep)
{
	unsigned int i;

	buf[0] = 0;
	for (i = 0; i < d->len; i++)
		sprintf(buf + strlen(buf), "%s%02x", i ? sep : "", d->bytes[i]);
	return buf;
}

void sc_list_text(FILE *out, const struct sc_file *f)
{
	char a[128], b[128], c[128], fl[64], hx[64];
	struct sc_insn_desc d;
	size_t i;

	fprintf(out, "%s: ELF64 %s %s %s-endian, %zu keys, %zu sites\n",
		f->path, type_name(f), sc_machine_name(f->machine),
		f->big_endian ? "big" : "little", f->nkeys,
		f->nsites - f->ndefinitions);
	for (i = 0; i < f->nkeys; i++) {
		const struct sc_key *k = &f->keys[i];

		if (k->magic != STATICCALL_KEY_MAGIC ||
		    k->version != STATICCALL_ABI_VERSION) {
			fprintf(out, "key %s unreadable\n",
				sc_fmt_addr(f, k->addr, a, sizeof(a)));
			continue;
		}
		key_flags(k->flags, fl, sizeof(fl), ",");
		fprintf(out, "key %s name %s flags %s ident %s default %s\n",
			sc_fmt_addr(f, k->addr, a, sizeof(a)),
			k->name_str ? k->name_str : "?", fl[0] ? fl : "-",
			ident_label(f, k, b, sizeof(b)),
			fmt_val(f, &k->deflt, c, sizeof(c)));
	}
	for (i = 0; i < f->nsites; i++) {
		const struct sc_site *t = &f->sites[i];

		site_flags(f->machine, t->flags, fl, sizeof(fl), ",");
		if (t->definition) {
			fprintf(out, "definition %s key %s\n",
				sc_fmt_addr(f, t->addr, a, sizeof(a)),
				key_label(f, t, c, sizeof(c)));
			continue;
		}
		if (t->site.kind != SC_VAL_ADDR) {
			fprintf(out, "site %s in ? key %s flags %s insn ?\n",
				sc_fmt_val(f, &t->site, a, sizeof(a)),
				key_label(f, t, c, sizeof(c)), fl[0] ? fl : "-");
			continue;
		}
		sc_decode(f, t->site.addr, &d);
		fprintf(out, "site %s in %s key %s flags %s insn %s %s",
			sc_fmt_addr(f, t->site.addr, a, sizeof(a)),
			sc_fmt_sym(f, t->site.addr, b, sizeof(b)),
			key_label(f, t, c, sizeof(c)), fl[0] ? fl : "-",
			d.len ? hex(&d, hx, "") : "-", d.text);
		if (d.has_dest)
			fprintf(out, " %s", fmt_val(f, &d.dest, a, sizeof(a)));
		fputc('\n', out);
	}
}

static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void json_flags(FILE *out, const char *list)
{
	const char *p = list;

	fputc('[', out);
	while (*p) {
		const char *e = strchr(p, ' ');
		size_t l = e ? (size_t)(e - p) : strlen(p);

		fprintf(out, "%s\"%.*s\"", p == list ? "" : ", ", (int)l, p);
		p += l;
		while (*p == ' ')
			p++;
	}
	fputc(']', out);
}

static void json_key(FILE *out, const struct sc_file *f, const struct sc_key *k)
{
	char a[128], fl[64];

	fprintf(out, "    {\"address\": ");
	json_str(out, sc_fmt_addr(f, k->addr, a, sizeof(a)));
	fprintf(out, ", \"magic\": %u, \"version\": %u", k->magic, k->version);
	if (k->magic != STATICCALL_KEY_MAGIC ||
	    k->version != STATICCALL_ABI_VERSION) {
		fprintf(out, ", \"readable\": false}");
		return;
	}
	fprintf(out, ", \"readable\": true, \"name\": ");
	if (k->name_str)
		json_str(out, k->name_str);
	else
		fprintf(out, "null");
	fprintf(out, ", \"flags\": ");
	json_flags(out, key_flags(k->flags, fl, sizeof(fl), " "));
	fprintf(out, ", \"ident\": ");
	json_str(out, ident_label(f, k, a, sizeof(a)));
	fprintf(out, ", \"default\": ");
	json_str(out, fmt_val(f, &k->deflt, a, sizeof(a)));
	fputc('}', out);
}

static void json_site(FILE *out, const struct sc_file *f,
		      const struct sc_site *t)
{
	char a[128], fl[64], hx[64];
	struct sc_insn_desc d;

	if (t->definition) {
		fprintf(out, "    {\"definition\": ");
		json_str(out, sc_fmt_addr(f, t->addr, a, sizeof(a)));
		fprintf(out, ", \"key\": ");
		json_str(out, key_label(f, t, a, sizeof(a)));
		fputc('}', out);
		return;
	}
	fprintf(out, "    {\"address\": ");
	if (t->site.kind == SC_VAL_ADDR)
		json_str(out, sc_fmt_addr(f, t->site.addr, a, sizeof(a)));
	else
		json_str(out, sc_fmt_val(f, &t->site, a, sizeof(a)));
	if (t->site.kind == SC_VAL_ADDR) {
		fprintf(out, ", \"function\": ");
		json_str(out, sc_fmt_sym(f, t->site.addr, a, sizeof(a)));
	}
	fprintf(out, ", \"key\": ");
	json_str(out, key_label(f, t, a, sizeof(a)));
	fprintf(out, ", \"flags\": ");
	json_flags(out, site_flags(f->machine, t->flags, fl, sizeof(fl), " "));
	if (t->site.kind == SC_VAL_ADDR) {
		sc_decode(f, t->site.addr, &d);
		fprintf(out, ", \"bytes\": ");
		json_str(out, d.len ? hex(&d, hx, " ") : "");
		fprintf(out, ", \"insn\": ");
		json_str(out, d.text);
		if (d.has_dest) {
			fprintf(out, ", \"target\": ");
			json_str(out, fmt_val(f, &d.dest, a, sizeof(a)));
		}
	}
	fputc('}', out);
}

void sc_list_json(FILE *out, const struct sc_file *f)
{
	size_t i;

	fprintf(out, "{\"file\": ");
	json_str(out, f->path);
	fprintf(out, ", \"type\": \"%s\", \"machine\": \"%s\", \"endian\": \"%s\",\n",
		type_name(f), sc_machine_name(f->machine),
		f->big_endian ? "big" : "little");
	fprintf(out, "  \"keys\": [\n");
	for (i = 0; i < f->nkeys; i++) {
		json_key(out, f, &f->keys[i]);
		fprintf(out, "%s\n", i + 1 < f->nkeys ? "," : "");
	}
	fprintf(out, "  ],\n  \"sites\": [\n");
	for (i = 0; i < f->nsites; i++) {
		json_site(out, f, &f->sites[i]);
		fprintf(out, "%s\n", i + 1 < f->nsites ? "," : "");
	}
	fprintf(out, "  ]\n}\n");
}
