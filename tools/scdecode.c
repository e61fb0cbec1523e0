/*
 * scdecode.c - decode the instruction at a site for staticcall-tool: the
 * forms the runtime writes and accepts (abi.h), per target:
 *   x86-64       e8 rel32 (call), e9 rel32 (jmp), 0f 1f 44 00 00 (nop)
 *   aarch64      bl, b, nop
 *   powerpc64    bl followed by nop or ld r2,24(r1); nop
 * In a relocatable object the branch displacement is usually still a
 * relocation; the destination is then taken from it (symbol + addend).
 */
#include <string.h>

#include "scelf.h"

#define A64_NOP		0xd503201fu
#define PPC_NOP		0x60000000u
#define PPC_LD_R2_24	0xe8410018u

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
	static const unsigned char nop5[5] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
	const unsigned char *b = d->bytes;
	int32_t rel = (int32_t)((uint32_t)b[1] | (uint32_t)b[2] << 8 |
				(uint32_t)b[3] << 16 | (uint32_t)b[4] << 24);

	if (b[0] == 0xe8 || b[0] == 0xe9) {
		d->kind = b[0] == 0xe8 ? SC_INSN_CALL : SC_INSN_TAIL;
		strcpy(d->text, b[0] == 0xe8 ? "call" : "jmp");
		set_dest(f, addr, 1, 4, addr + 5 + rel, d);
	} else if (!memcmp(b, nop5, 5)) {
		d->kind = SC_INSN_NOP;
		strcpy(d->text, "nop5");
	} else {
		d->why = "not a 5-byte call, jmp or nop";
	}
}

static int64_t branch26(uint32_t w)
{
	int64_t off = (int64_t)(w & 0x03ffffff) << 2;

	return off & (1LL << 27) ? off - (1LL << 28) : off;
}

static void decode_a64(const struct sc_file *f, uint64_t addr,
		       struct sc_insn_desc *d)
{
	/* A64 instructions are little-endian whatever the data order. */
	uint32_t w = (uint32_t)d->bytes[0] | (uint32_t)d->bytes[1] << 8 |
		     (uint32_t)d->bytes[2] << 16 | (uint32_t)d->bytes[3] << 24;

	if ((w & 0xfc000000u) == 0x94000000u ||
	    (w & 0xfc000000u) == 0x14000000u) {
		int bl = (w & 0xfc000000u) == 0x94000000u;

		d->kind = bl ? SC_INSN_CALL : SC_INSN_TAIL;
		strcpy(d->text, bl ? "bl" : "b");
		set_dest(f, addr, 0, 0, addr + branch26(w), d);
	} else if (w == A64_NOP) {
		d->kind = SC_INSN_NOP;
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
			   next == PPC_LD_R2_24 ? "; ld r2,24(r1)" : NULL;

	d->next_word = next;
	if ((w & 0xfc000003u) == 0x48000001u) {
		d->kind = SC_INSN_CALL;
		snprintf(d->text, sizeof(d->text), "bl%s", tail ? tail : "");
		set_dest(f, addr, 0, 0, addr + branch26(w & 0x03fffffcu), d);
		if (!tail) {
			d->kind = SC_INSN_BAD;
			d->why = "bl not followed by nop or ld r2,24(r1)";
		}
	} else if ((w & 0xfc000003u) == 0x48000000u) {
		d->kind = SC_INSN_TAIL;
		strcpy(d->text, "b");
		set_dest(f, addr, 0, 0, addr + branch26(w & 0x03fffffcu), d);
	} else if (w == PPC_NOP && tail) {
		d->kind = SC_INSN_NOP;
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
