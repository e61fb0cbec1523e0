/*
 * arch/aarch64/site.c - the arm64 back end of staticcall (include/staticcall/arch.h).
 *
 * A site is one `bl` (call) or `b` (tail call), imm26, reaching +-128 MB.
 * Only B, BL and NOP are on the Arm ARM's list of instructions that may be
 * modified while another core executes them (B2.2.5, concurrent modification
 * and execution), so every form this back end writes is one of those:
 *
 *   CALL       bl dest
 *   TAIL       b dest
 *   NOP        nop                       (NULL target, call site)
 *   RET, RET0, RET0_TAIL                 not inline: sc_arch.target_forms
 *              tells the core to use CALL/TAIL to a function that returns
 *              (0), e.g. bl __static_call_return0, through a veneer if far.
 *
 * A site changes with one aligned 4-byte store, then the written range is
 * cleaned to the point of unification and invalidated from the I-cache
 * (dc cvau / dsb ish / ic ivau / dsb ish / isb) with the line sizes read
 * from CTR_EL0 at every call: big.LITTLE cores can differ and a thread can
 * migrate between reading and using them.
 *
 * Veneers (16 bytes, 8-aligned) reach any address:
 *	ldr  x16, 1f
 *	br   x16
 *   1:	.quad target
 * Only x16 is used: an indirect branch through x16/x17 is accepted by the
 * `bti c` (or paciasp) landing pad of a function built with
 * -mbranch-protection=standard, and x16/x17 are the intra-procedure-call
 * scratch registers that the AAPCS64 lets a veneer clobber.  While sites
 * point at a veneer only its literal changes, with one atomic 8-byte store
 * (arch.h), so a thread sees the old target or the new one.
 *
 * BTI: a BR through x16 sets BTYPE 01, which `bti c`, `bti j`, `bti jc`,
 * `paciasp` and `pacibsp` accept whatever SCTLR_ELx.BTn says (BTn only
 * refuses paciasp/pacibsp for BTYPE 11, a BR through another register
 * from a guarded page).  GCC gives every function whose address it sees
 * taken one of them, and the plugin marks each key's default target
 * address-taken; a target without one (a static function only ever
 * called directly, assembly without `bti c`, code built without
 * -mbranch-protection) faults in a guarded page when a veneer reaches it,
 * so the core refuses such a veneer where the platform says the target is
 * guarded (sc_arch_landing_pad, doc: "Branch protection").
 */
#include <errno.h>
#include <stdint.h>

#include "staticcall/abi.h"
#include "staticcall/arch.h"
#include "insn.h"

const struct sc_arch_info sc_arch = {
	.name = "aarch64",
	.site_len = 4,
	.site_span = 8,		/* 4 written; 8 as on the other CPUs */
	.store_unit = 4,
	.decode_len = 4,
	.reach = A64_REACH,
	.veneer_size = 16,
	.veneer_align = 8,
	.target_forms = (1u << SC_FORM_RET) | (1u << SC_FORM_RET0) |
			(1u << SC_FORM_RET0_TAIL),
};

int sc_arch_decode(uintptr_t site, unsigned int flags, struct sc_decoded *out)
{
	int tail = (flags & STATICCALL_SITE_TAIL) != 0;
	uint32_t insn;

	if (site & 3)
		return -EINVAL;
	insn = load32(site);
	if (insn == A64_NOP && !tail) {
		out->form = SC_FORM_NOP;
		out->dest = 0;
		return 0;
	}
	if (!(tail ? a64_is_b(insn) : a64_is_bl(insn)))
		return -EINVAL;
	out->form = tail ? SC_FORM_TAIL : SC_FORM_CALL;
	out->dest = (uintptr_t)a64_branch_dest(insn, site);
	return 0;
}

int sc_arch_encode(uintptr_t site, unsigned int flags, enum sc_form form,
		   uintptr_t dest, struct sc_insn *out)
{
	int tail = !!(flags & STATICCALL_SITE_TAIL);
	uint32_t insn;

	if (site & 3)
		return -EINVAL;
	switch (form) {
	case SC_FORM_NOP:
		if (tail)
			return -EINVAL;
		insn = A64_NOP;
		break;
	case SC_FORM_CALL:
	case SC_FORM_TAIL:
		if (tail != (form == SC_FORM_TAIL) || (dest & 3))
			return -EINVAL;
		if (a64_encode_branch(&insn, site, dest, !tail))
			return -ERANGE;
		break;
	default:
		/* RET, RET0, RET0_TAIL: see sc_arch.target_forms. */
		return -EINVAL;
	}
	le_put32(out->bytes, insn);
	out->len = 4;
	return 0;
}

int sc_arch_insn_tmpl(unsigned int flags, enum sc_form form,
		      struct sc_insn_tmpl *t)
{
	int tail = !!(flags & STATICCALL_SITE_TAIL);

	t->len = 4;
	t->bias = 0;
	t->pos = 0;
	if (form == SC_FORM_NOP && !tail) {
		t->base = A64_NOP;
		t->mask = 0;
		t->shift = 0;
		return 0;
	}
	if ((form != SC_FORM_CALL && form != SC_FORM_TAIL) ||
	    tail != (form == SC_FORM_TAIL))
		return -EINVAL;
	/* b / bl: imm26, the offset in words */
	t->base = tail ? A64_B : A64_BL;
	t->mask = A64_IMM26;
	t->shift = 2;
	return 0;
}

int sc_arch_veneer_build(void *buf, uintptr_t veneer, uintptr_t target)
{
	unsigned char *p = buf;

	if (veneer & 7)
		return -EINVAL;
	le_put32(p, A64_LDR_X16_8);
	le_put32(p + 4, A64_BR_X16);
	le_put64(p + 8, target);
	return 0;
}

int sc_arch_landing_pad(uintptr_t target)
{
	uint32_t insn;

	if (target & 3)
		return 0;
	insn = load32(target);
	return insn == A64_BTI_C || insn == A64_BTI_J || insn == A64_BTI_JC ||
	       insn == A64_PACIASP || insn == A64_PACIBSP;
}

int sc_arch_prepare_site(uintptr_t site, unsigned char *rw, unsigned int flags)
{
	struct sc_decoded d;

	(void)rw;
	return sc_arch_decode(site, flags, &d);
}

int sc_arch_store_atomic(uintptr_t site, unsigned char *rw,
			 const struct sc_insn *insn)
{
	return insn32_store_atomic(site, rw, insn);
}

/*
 * The Arm ARM (DDI 0487), "Synchronization and coherency issues between
 * data and instruction accesses": after writing instructions, clean the
 * data cache to the point of unification by VA (dc cvau), dsb ish,
 * invalidate the instruction cache by VA (ic ivau), dsb ish, then isb on
 * the writing PE; other PEs need a context synchronization event of their
 * own (membarrier SYNC_CORE, or the core's sync hook).  CTR_EL0.IDC and
 * DIC say when a step is not needed.  No emulator models these caches
 * (qemu: neither qemu-user nor the system lane), so only this reading,
 * and hardware, checks them.
 */
void sc_arch_publish(uintptr_t start, size_t len)
{
	uint64_t ctr, dline, iline;
	uintptr_t end = start + len, p;

	if (!len)
		return;
	__asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
	dline = 4ul << ((ctr >> 16) & 0xf);
	iline = 4ul << (ctr & 0xf);

	/* IDC (bit 28): D-cache clean to PoU not required for coherence. */
	if (!(ctr & (1ul << 28))) {
		for (p = start & ~(dline - 1); p < end; p += dline)
			__asm__ volatile("dc cvau, %0" : : "r"(p) : "memory");
	}
	__asm__ volatile("dsb ish" : : : "memory");
	/* DIC (bit 29): I-cache invalidation to PoU not required. */
	if (!(ctr & (1ul << 29))) {
		for (p = start & ~(iline - 1); p < end; p += iline)
			__asm__ volatile("ic ivau, %0" : : "r"(p) : "memory");
		__asm__ volatile("dsb ish" : : : "memory");
	}
	__asm__ volatile("isb" : : : "memory");
}

/* brk #imm16 (gdb: brk #0) */
int sc_arch_debug_trap(uintptr_t site, const struct sc_insn *old)
{
	(void)old;
	return !(site & 3) && (load32(site) & 0xffe0001fu) == 0xd4200000u;
}

int sc_arch_debug_keep(struct sc_insn *insn)
{
	(void)insn;
	return -EBUSY;
}
