/*
 * arch/x86_64/site.c - the x86-64 back end of the staticcall runtime.
 *
 * A site is 5 bytes: `call rel32` (e8) or, for a tail site, `jmp rel32`
 * (e9); the forms and their bytes are in insn.h.  Plugin sites lie inside
 * one naturally aligned 8-byte word, so the whole instruction changes with
 * one atomic 8-byte store; other sites go through the trap protocol
 * (trap.c, int3 first).
 *
 * A veneer (16 bytes, 16-aligned) is `jmp *2(%rip); ud2; .quad target`: the
 * target word is 8-aligned, so retargeting a live veneer is one atomic
 * store as well.  Under IBT that jmp lands only on endbr64, which GCC
 * (-fcf-protection) puts at every function whose address it sees taken
 * (the plugin marks each key's default target so); the core refuses a
 * veneer to a target without one where the platform says IBT applies
 * (sc_arch_landing_pad).
 *
 * Freestanding: no libc, no allocation.
 */
#include <errno.h>
#include <stdint.h>

#include "staticcall/abi.h"
#include "staticcall/arch.h"
#include "insn.h"

const struct sc_arch_info sc_arch = {
	.name = "x86_64",
	.site_len = X86_SITE_LEN,
	.site_span = 8,			/* the 8-byte word the store writes */
	.store_unit = 8,
	.decode_len = X86_SITE_LEN,
	.reach = 0x7fff0000UL,		/* rel32 from site + 5, with margin */
	.veneer_size = 16,
	.veneer_align = 16,
	/* xor; ret is two instructions: see insn.h */
	.target_forms = 1u << SC_FORM_RET0_TAIL,
	.trap = 1,
};

/* Tail sites hold TAIL, RET or RET0_TAIL; call sites CALL, NOP or RET0. */
static int form_is_tail(enum sc_form form)
{
	return form == SC_FORM_TAIL || form == SC_FORM_RET ||
	       form == SC_FORM_RET0_TAIL;
}

int sc_arch_decode(uintptr_t site, unsigned int flags, struct sc_decoded *out)
{
	int tail = (flags & STATICCALL_SITE_TAIL) != 0;
	uint64_t dest;

	/* the plugin's alignment puts an ALIGNED site in one 8-byte word */
	if (((flags & STATICCALL_SITE_ALIGNED) && sc_arch_needs_trap(site)) ||
	    x86_insn_decode((const unsigned char *)site, site, &out->form, &dest) ||
	    form_is_tail(out->form) != tail)
		return -EINVAL;
	out->dest = (uintptr_t)dest;
	return 0;
}

int sc_arch_encode(uintptr_t site, unsigned int flags, enum sc_form form,
		   uintptr_t dest, struct sc_insn *out)
{
	int tail = (flags & STATICCALL_SITE_TAIL) != 0;

	if (form_is_tail(form) != tail)
		return -EINVAL;
	if (x86_insn_encode(out->bytes, site, form, dest))
		return -ERANGE;
	out->len = X86_SITE_LEN;
	return 0;
}

int sc_arch_insn_tmpl(unsigned int flags, enum sc_form form,
		      struct sc_insn_tmpl *t)
{
	unsigned char b[X86_SITE_LEN];
	unsigned int i;

	if (form_is_tail(form) != ((flags & STATICCALL_SITE_TAIL) != 0))
		return -EINVAL;
	t->len = X86_SITE_LEN;
	t->shift = 0;
	if (form == SC_FORM_CALL || form == SC_FORM_TAIL) {
		/* opcode, then rel32 from the end of the instruction */
		t->base = form == SC_FORM_CALL ? X86_CALL : X86_JMP;
		t->mask = 0xffffffffu;
		t->bias = X86_SITE_LEN;
		t->pos = 8;
		return 0;
	}
	x86_insn_encode(b, 0, form, 0);
	t->base = 0;
	for (i = 0; i < X86_SITE_LEN; i++)
		t->base |= (uint64_t)b[i] << (8 * i);
	t->mask = 0;
	t->bias = 0;
	t->pos = 0;
	return 0;
}

int sc_arch_veneer_build(void *buf, uintptr_t veneer, uintptr_t target)
{
	unsigned char *p = buf;

	if (veneer & 15)
		return -EINVAL;
	/* jmp *2(%rip): the target word sits right after the ud2 */
	p[0] = 0xff;
	p[1] = 0x25;
	p[2] = 0x02;
	p[3] = 0x00;
	p[4] = 0x00;
	p[5] = 0x00;
	p[6] = 0x0f;	/* ud2: never reached */
	p[7] = 0x0b;
	le_put64(p + 8, target);
	return 0;
}

int sc_arch_landing_pad(uintptr_t target)
{
	const unsigned char *p = (const unsigned char *)target;

	/* endbr64: f3 0f 1e fa */
	return p[0] == 0xf3 && p[1] == 0x0f && p[2] == 0x1e && p[3] == 0xfa;
}

int sc_arch_prepare_site(uintptr_t site, unsigned char *rw, unsigned int flags)
{
	(void)site;
	(void)rw;
	(void)flags;
	return 0;
}

int sc_arch_store_atomic(uintptr_t site, unsigned char *rw,
			 const struct sc_insn *insn)
{
	unsigned int off = site & 7, i;
	uint64_t *word;
	uint64_t v;

	if (off + insn->len > 8)
		return -EINVAL;
	word = (uint64_t *)(rw - off);
	v = __atomic_load_n(word, __ATOMIC_RELAXED);
	for (i = 0; i < insn->len; i++) {
		v &= ~((uint64_t)0xff << (8 * (off + i)));
		v |= (uint64_t)insn->bytes[i] << (8 * (off + i));
	}
	__atomic_store_n(word, v, __ATOMIC_RELEASE);
	return 0;
}

void sc_arch_publish(uintptr_t start, size_t len)
{
	/* x86 keeps instruction fetch coherent with stores in hardware. */
	(void)start;
	(void)len;
}

int sc_arch_needs_trap(uintptr_t site)
{
	return (site & 7) + X86_SITE_LEN > 8;
}

int sc_arch_debug_trap(uintptr_t site, const struct sc_insn *old)
{
	const unsigned char *b = (const unsigned char *)site;
	unsigned int i;

	if (b[0] != X86_INT3)
		return 0;
	if (!old)
		return 1;
	if (old->len != X86_SITE_LEN)
		return 0;
	for (i = 1; i < old->len; i++)
		if (b[i] != old->bytes[i])
			return 0;
	return 1;
}

int sc_arch_debug_keep(struct sc_insn *insn)
{
	insn->bytes[0] = X86_INT3;
	return 0;
}
