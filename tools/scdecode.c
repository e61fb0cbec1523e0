/*
 * scdecode.c - decode the instruction at a site for staticcall-tool: the
 * forms the runtime writes and accepts (abi.h), per target:
 *   x86-64       e8 rel32 (call), e9 rel32 (jmp), 0f 1f 44 00 00 (nop)
 *   aarch64      bl, b, nop
 *   powerpc64    bl followed by nop or ld r2,24(r1); nop
 * In a relocatable object the branch displacement is usually still a
 * relocation; the destination is then taken from it (symbol + addend).
 * The opcodes and the encode/decode arithmetic are the runtime's own
 * (arch/<cpu>/insn.h, compiled here for the build machine); what the tool
 * accepts, and how it words a refusal, is its own.
 */
#include <string.h>

#include "scelf.h"
#include "../arch/x86_64/insn.h"
#include "../arch/aarch64/insn.h"
#include "../arch/powerpc64/insn.h"

/* Destination from a branch relocation at @addr + @disp, if any. */
static int dest_from_rel(const struct sc_file *f, uint64_t addr,
			 unsigned int disp, int64_t bias, struct sc_val *v)
{
	int i = sc_find_sec(f, addr, 1);
	const struct sc_rel *r;
	const struct sc_sym *y;

	if (!f->is_rel || i < 0)
		return 0;
	r = sc_rel_at(&f->secs[i], addr - f->secs[i].addr + disp);
	if (!r || r->sym >= f->nsyms)
		return 0;
	y = &f->syms[r->sym];
	memset(v, 0, sizeof(*v));
	if (y->defined) {
		v->kind = SC_VAL_ADDR;
		v->addr = y->addr + r->addend + bias;
		if (y->type != STT_SECTION && v->addr == y->addr)
			v->sym = y->name;
	} else {
		v->kind = SC_VAL_SYM;
		v->sym = y->name;
		v->addend = (int64_t)((uint64_t)r->addend + (uint64_t)bias);
	}
	return 1;
}

static void set_dest(const struct sc_file *f, uint64_t addr, unsigned int disp,
		     int64_t bias, uint64_t computed, struct sc_insn_desc *d)
{
	d->has_dest = 1;
	if (dest_from_rel(f, addr, disp, bias, &d->dest))
		return;
	memset(&d->dest, 0, sizeof(d->dest));
	d->dest.kind = SC_VAL_ADDR;
	d->dest.addr = computed;
}

static void decode_x86(const struct sc_file *f, uint64_t addr,
		       struct sc_insn_desc *d)
{
	enum sc_form form;
	uint64_t dest;

	if (x86_insn_decode(d->bytes, addr, &form, &dest) ||
	    (form != SC_FORM_CALL && form != SC_FORM_TAIL &&
	     form != SC_FORM_NOP)) {
		d->why = "not a 5-byte call, jmp or nop";
		return;
	}
	d->kind = form;
	if (form == SC_FORM_NOP) {
		strcpy(d->text, "nop5");
		return;
	}
	strcpy(d->text, form == SC_FORM_CALL ? "call" : "jmp");
	set_dest(f, addr, 1, 4, dest, d);
}

static void decode_a64(const struct sc_file *f, uint64_t addr,
		       struct sc_insn_desc *d)
{
	/* A64 instructions are little-endian whatever the data order. */
	uint32_t w = le_get32(d->bytes);

	if (a64_is_bl(w) || a64_is_b(w)) {
		d->kind = a64_is_bl(w) ? SC_FORM_CALL : SC_FORM_TAIL;
		strcpy(d->text, a64_is_bl(w) ? "bl" : "b");
		set_dest(f, addr, 0, 0, a64_branch_dest(w, addr), d);
	} else if (w == A64_NOP) {
		d->kind = SC_FORM_NOP;
		strcpy(d->text, "nop");
	} else {
		d->why = "not bl, b or nop";
	}
}

static void decode_ppc(const struct sc_file *f, uint64_t addr,
		       struct sc_insn_desc *d)
{
	uint32_t w = sc_get32(f, d->bytes), next = 0;
	const char *tail;

	/* The word after the branch, when the section has one. */
	if (!sc_read(f, addr + 4, d->bytes + 4, 4)) {
		d->len = 8;
		next = sc_get32(f, d->bytes + 4);
	}
	tail = next == PPC_NOP ? "; nop" :
			   next == PPC_LD_R2_24_R1 ? "; ld r2,24(r1)" : NULL;

	d->next_word = next;
	if (ppc_is_bl(w)) {
		d->kind = SC_FORM_CALL;
		snprintf(d->text, sizeof(d->text), "bl%s", tail ? tail : "");
		set_dest(f, addr, 0, 0, ppc_branch_dest(w, addr), d);
		if (!tail) {
			d->kind = SC_INSN_BAD;
			d->why = "bl not followed by nop or ld r2,24(r1)";
		}
	} else if (ppc_is_b(w)) {
		d->kind = SC_FORM_TAIL;
		strcpy(d->text, "b");
		set_dest(f, addr, 0, 0, ppc_branch_dest(w, addr), d);
	} else if (w == PPC_NOP && tail) {
		d->kind = SC_FORM_NOP;
		snprintf(d->text, sizeof(d->text), "nop%s", tail);
	} else {
		d->why = "not bl; nop or bl; ld r2,24(r1)";
	}
}

void sc_decode(const struct sc_file *f, uint64_t addr, struct sc_insn_desc *d)
{
	memset(d, 0, sizeof(*d));
	d->kind = SC_INSN_BAD;
	d->len = sc_site_len(f->machine);
	strcpy(d->text, "?");
	if (sc_read(f, addr, d->bytes, d->len)) {
		d->len = 0;
		d->why = "site bytes not in the file";
		return;
	}
	switch (f->machine) {
	case EM_X86_64:
		decode_x86(f, addr, d);
		break;
	case EM_AARCH64:
		decode_a64(f, addr, d);
		break;
	case EM_PPC64:
		decode_ppc(f, addr, d);
		break;
	}
}
