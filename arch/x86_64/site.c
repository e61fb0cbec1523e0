/*
 * arch/x86_64/site.c - the x86-64 back end of the staticcall runtime.
 *
 * A site is 5 bytes: `call rel32` (e8) or, for a tail site, `jmp rel32`
 * (e9).  Plugin sites lie inside one naturally aligned 8-byte word, so the
 * whole instruction changes with one atomic 8-byte store; other sites go
 * through the breakpoint protocol driven by the core (int3 first).
 *
 * Forms other than call/jump (issue 8) use 5 bytes as well:
 *   NOP        0f 1f 44 00 00        nopl 0(%rax,%rax,1)
 *   RET        c3 cc cc cc cc        ret (+ never-executed padding)
 *   RET0       2e 2e 2e 31 c0        cs cs cs xor %eax,%eax
 *   RET0_TAIL  not inline (sc_arch.target_forms): jmp __static_call_return0
 * Each inline form is ONE instruction (issue 8): a thread preempted inside
 * a two-instruction form (xor; nop or xor; ret) would resume at site + 2
 * in the middle of the rel32 of the call written meanwhile.  The redundant
 * CS prefixes are the Linux kernel's xor5rax.  The RET0_TAIL bytes are
 * still decoded (sites written by older runtimes).
 *
 * A veneer (16 bytes, 16-aligned) is `jmp *2(%rip); ud2; .quad target`: the
 * target word is 8-aligned, so retargeting a live veneer is one atomic
 * store as well.
 *
 * Freestanding: no libc, no allocation.
 */
#include <errno.h>
#include <stdint.h>

#include "staticcall/abi.h"
#include "staticcall/arch.h"

#define X86_CALL	0xe8
#define X86_JMP		0xe9
#define X86_INT3	0xcc
#define X86_SITE_LEN	5

const struct sc_arch_info sc_arch = {
	.name = "x86_64",
	.site_len = X86_SITE_LEN,
	.reach = 0x7fff0000UL,		/* rel32 from site + 5, with margin */
	.veneer_size = 16,
	.veneer_align = 16,
	/* xor; ret is two instructions: see the head comment */
	.target_forms = 1u << SC_FORM_RET0_TAIL,
};

static const unsigned char form_nop[X86_SITE_LEN] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
static const unsigned char form_ret[X86_SITE_LEN] = { 0xc3, 0xcc, 0xcc, 0xcc, 0xcc };
static const unsigned char form_ret0[X86_SITE_LEN] = { 0x2e, 0x2e, 0x2e, 0x31, 0xc0 };
static const unsigned char form_ret0_tail[X86_SITE_LEN] = { 0x31, 0xc0, 0xc3, 0xcc, 0xcc };

static int same5(const unsigned char *a, const unsigned char *b)
{
	unsigned int i;

	for (i = 0; i < X86_SITE_LEN; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

static int32_t load_rel32(const unsigned char *p)
{
	uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 |
		     (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;

	return (int32_t)v;
}

int sc_arch_decode(uintptr_t site, unsigned int flags, struct sc_decoded *out)
{
	const unsigned char *p = (const unsigned char *)site;
	int tail = (flags & STATICCALL_SITE_TAIL) != 0;

	out->dest = 0;
	if (p[0] == (tail ? X86_JMP : X86_CALL)) {
		out->form = tail ? SC_FORM_TAIL : SC_FORM_CALL;
		out->dest = site + X86_SITE_LEN + (intptr_t)load_rel32(p + 1);
		return 0;
	}
	if (!tail && same5(p, form_nop)) {
		out->form = SC_FORM_NOP;
		return 0;
	}
	if (!tail && same5(p, form_ret0)) {
		out->form = SC_FORM_RET0;
		return 0;
	}
	if (tail && same5(p, form_ret)) {
		out->form = SC_FORM_RET;
		return 0;
	}
	if (tail && same5(p, form_ret0_tail)) {
		out->form = SC_FORM_RET0_TAIL;
		return 0;
	}
	return -EINVAL;
}

static void copy5(struct sc_insn *out, const unsigned char *b)
{
	unsigned int i;

	for (i = 0; i < X86_SITE_LEN; i++)
		out->bytes[i] = b[i];
	out->len = X86_SITE_LEN;
}

int sc_arch_encode(uintptr_t site, unsigned int flags, enum sc_form form,
		   uintptr_t dest, struct sc_insn *out)
{
	int tail = (flags & STATICCALL_SITE_TAIL) != 0;
	intptr_t rel;
	uint32_t u;

	switch (form) {
	case SC_FORM_CALL:
	case SC_FORM_TAIL:
		if ((form == SC_FORM_TAIL) != tail)
			return -EINVAL;
		rel = (intptr_t)(dest - (site + X86_SITE_LEN));
		if (rel < INT32_MIN || rel > INT32_MAX)
			return -ERANGE;
		u = (uint32_t)(int32_t)rel;
		out->bytes[0] = tail ? X86_JMP : X86_CALL;
		out->bytes[1] = u & 0xff;
		out->bytes[2] = (u >> 8) & 0xff;
		out->bytes[3] = (u >> 16) & 0xff;
		out->bytes[4] = (u >> 24) & 0xff;
		out->len = X86_SITE_LEN;
		return 0;
	case SC_FORM_NOP:
		if (tail)
			return -EINVAL;
		copy5(out, form_nop);
		return 0;
	case SC_FORM_RET0:
		if (tail)
			return -EINVAL;
		copy5(out, form_ret0);
		return 0;
	case SC_FORM_RET:
		if (!tail)
			return -EINVAL;
		copy5(out, form_ret);
		return 0;
	case SC_FORM_RET0_TAIL:
		if (!tail)
			return -EINVAL;
		copy5(out, form_ret0_tail);
		return 0;
	}
	return -EINVAL;
}

uintptr_t sc_arch_direct_dest(uintptr_t target, unsigned int flags,
			      uintptr_t site_toc)
{
	(void)flags;
	(void)site_toc;
	return target;
}

int sc_arch_veneer_build(void *buf, uintptr_t veneer, uintptr_t target)
{
	unsigned char *p = buf;
	unsigned int i;

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
	for (i = 0; i < 8; i++)
		p[8 + i] = (unsigned char)(target >> (8 * i));
	return 0;
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

int sc_arch_bp_first(struct sc_insn *out)
{
	out->bytes[0] = X86_INT3;
	out->len = 1;
	return 0;
}

int sc_arch_bp_emulate(uintptr_t site, const struct sc_insn *insn,
		       uintptr_t *pc, uintptr_t *sp)
{
	struct sc_decoded d;
	uintptr_t ret = site + X86_SITE_LEN;

	if (insn->len != X86_SITE_LEN)
		return -EINVAL;
	if (insn->bytes[0] == X86_CALL) {
		d.dest = ret + (intptr_t)load_rel32(insn->bytes + 1);
		*sp -= 8;
		*(uintptr_t *)*sp = ret;
		*pc = d.dest;
		return 0;
	}
	if (insn->bytes[0] == X86_JMP) {
		*pc = ret + (intptr_t)load_rel32(insn->bytes + 1);
		return 0;
	}
	if (insn->bytes[0] == form_nop[0] && insn->bytes[1] == form_nop[1]) {
		*pc = ret;		/* nop: skip the site */
		return 0;
	}
	if (insn->bytes[0] == 0xc3) {
		*pc = *(uintptr_t *)*sp;	/* ret */
		*sp += 8;
		return 0;
	}
	/*
	 * xor %eax,%eax forms need a register the handler does not get: let
	 * the thread trap again until the bytes are complete.
	 */
	*pc = site;
	return 0;
}
