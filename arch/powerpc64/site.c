/*
 * arch/powerpc64/site.c - the powerpc64le (ELFv2) back end of staticcall
 * (include/staticcall/arch.h).  The argument for the design is in
 * doc/arch-powerpc64.md; in short:
 *
 * A site is `bl X` (LI 24 bits << 2, reach +-32 MB) followed by the
 * global-call `nop` the plugin forces, or by `ld r2,24(r1)` once the linker
 * (call through a PLT stub) or sc_arch_prepare_site() has rewritten it.
 * The rule for r2 that decides between a direct bl and a veneer, and why
 * every site is bound at registration (sc_arch.bind_at_registration), is
 * doc/arch-powerpc64.md, "r2 and the TOC".  Retargeting a live site is
 * then one 4-byte `bl` write, whatever TOC the old and new targets use.
 *
 * Veneer (40 bytes, 8-aligned), needs no TOC and keeps LR (the return address
 * into the caller that bl just set):
 *	std   r2,24(r1)		save the caller's TOC in its save slot
 *	mflr  r0		r0 is volatile and free at a call
 *	bcl   20,31,1f		the "get PC" form, not pushed on the link stack
 *   1:	mflr  r12
 *	mtlr  r0
 *	ld    r12,20(r12)	the literal at 1b + 20
 *	mtctr r12
 *	bctr			enter with r12 = entry, as ELFv2 global entry wants
 *	.quad entry
 * The entry is the target's global entry (its own prologue then computes
 * its TOC from r12, correct for any caller), or, through
 * sc_arch_veneer_build_toc() when the caller's TOC is known to be the
 * target's, its local entry: the `addis r2,r12,hi; addi r2,r2,lo` (or
 * `lis r2,hi; addi r2,r2,lo`) prologue recognised at the target is skipped;
 * no such prologue means the local entry is the global one (never a blind
 * +8).  Only CALL sites exist: the plugin never emits tail sites here, and
 * the NULL / return-0 forms are calls to functions (sc_arch.target_forms),
 * since a bare nop would leave the r2 restore reading a slot nothing saved.
 *
 * Cache: dcbst each line, sync, icbi each line, sync, isync.
 */
#include <errno.h>
#include <stdint.h>

#include "staticcall/abi.h"
#include "staticcall/arch.h"
#include "insn.h"
#include "toc.h"

#define PPC_VENEER_SIZE	40
#define PPC_VENEER_LIT	32

const struct sc_arch_info sc_arch = {
	.name = "powerpc64le",
	.site_len = 4,
	.site_span = 8,		/* the bl and the word after it */
	.store_unit = 4,
	.decode_len = 8,	/* the bl, and nop or ld r2,24(r1) after it */
	.reach = PPC_REACH,
	.veneer_size = PPC_VENEER_SIZE,
	.veneer_align = 8,
	.target_forms = (1u << SC_FORM_NOP) | (1u << SC_FORM_RET) |
			(1u << SC_FORM_RET0) | (1u << SC_FORM_RET0_TAIL),
	.bind_at_registration = 1,
};

int sc_arch_decode(uintptr_t site, unsigned int flags, struct sc_decoded *out)
{
	uint32_t insn, next;

	if ((site & 3) || (flags & STATICCALL_SITE_TAIL))
		return -EINVAL;
	insn = load32(site);
	next = load32(site + 4);
	if (!ppc_is_bl(insn))
		return -EINVAL;
	if (next != PPC_NOP && next != PPC_LD_R2_24_R1)
		return -EINVAL;
	out->form = SC_FORM_CALL;
	out->dest = (uintptr_t)ppc_branch_dest(insn, site);
	return 0;
}

int sc_arch_encode(uintptr_t site, unsigned int flags, enum sc_form form,
		   uintptr_t dest, struct sc_insn *out)
{
	uint32_t insn;

	if ((site & 3) || (flags & STATICCALL_SITE_TAIL) ||
	    form != SC_FORM_CALL || (dest & 3))
		return -EINVAL;
	if (ppc_encode_bl(&insn, site, dest))
		return -ERANGE;
	le_put32(out->bytes, insn);
	out->len = 4;
	return 0;
}

/*
 * A direct bl only from a site whose caller saved r2 in its prologue
 * (@site_toc nonzero: the core passes it only for STATICCALL_SITE_TOC_SAVED
 * sites of an object whose TOC it knows), and only to a target entered
 * without r12: one that computes the same TOC (its local entry, after the
 * prologue) or has no global-entry prologue (it neither needs r2 nor r12
 * on entry; local entry = global entry).  The ld r2,24(r1) after the site
 * then reloads what the prologue saved.  Everything else: 0, a veneer.
 */
uintptr_t sc_arch_direct_dest(uintptr_t target, unsigned int flags,
			      uintptr_t site_toc)
{
	uintptr_t toc = sc_arch_fn_toc(target);

	if (!(flags & STATICCALL_SITE_TOC_SAVED) || !site_toc || !target ||
	    (target & 3))
		return 0;
	if (!toc)
		return target;
	if (toc == site_toc)
		return sc_arch_local_entry(target);
	return 0;
}

/* The TOC @fn's global entry computes into r2, 0 when it has no prologue. */
uintptr_t sc_arch_fn_toc(uintptr_t fn)
{
	uint32_t i0, i1;
	intptr_t hi, lo;

	if (!fn || (fn & 3))
		return 0;
	i0 = load32(fn);
	i1 = load32(fn + 4);
	if ((i0 & 0xffff0003u) == PPC_LD_R2_R12 && i1 == PPC_ADD_R2_R2_R12) {
		/* -mcmodel=large: ld r2,d(r12) of the word .TOC.-fn; add */
		uintptr_t w = fn + (intptr_t)(int16_t)(i0 & 0xfffc);

		return fn + (load32(w) | (uintptr_t)load32(w + 4) << 32);
	}
	if ((i1 & PPC_HI_MASK) != PPC_ADDI_R2_R2)
		return 0;
	hi = (intptr_t)(int16_t)(i0 & 0xffff) * 65536;
	lo = (int16_t)(i1 & 0xffff);
	if ((i0 & PPC_HI_MASK) == PPC_ADDIS_R2_R12)
		return fn + hi + lo;
	if ((i0 & PPC_HI_MASK) == PPC_LIS_R2)
		return (uintptr_t)(hi + lo);
	return 0;
}

/* The local entry of @fn: after its TOC prologue, or @fn itself. */
uintptr_t sc_arch_local_entry(uintptr_t fn)
{
	return sc_arch_fn_toc(fn) ? fn + 8 : fn;
}

int sc_arch_veneer_build_toc(void *buf, uintptr_t veneer, uintptr_t target,
			     uintptr_t site_toc)
{
	static const uint32_t code[8] = {
		PPC_STD_R2_24_R1, PPC_MFLR_R0, PPC_BCL_20_31, PPC_MFLR_R12,
		PPC_MTLR_R0, PPC_LD_R12_20, PPC_MTCTR_R12, PPC_BCTR,
	};
	unsigned char *p = buf;
	uintptr_t entry = target;
	int i;

	if ((veneer & 7) || (target & 3))
		return -EINVAL;
	if (site_toc && sc_arch_fn_toc(target) == site_toc)
		entry = sc_arch_local_entry(target);
	for (i = 0; i < 8; i++)
		le_put32(p + 4 * i, code[i]);
	le_put64(p + PPC_VENEER_LIT, entry);
	return 0;
}

int sc_arch_insn_tmpl(unsigned int flags, enum sc_form form,
		      struct sc_insn_tmpl *t)
{
	if ((flags & STATICCALL_SITE_TAIL) || form != SC_FORM_CALL)
		return -EINVAL;
	/* bl: the LI field is the byte offset, low two bits clear */
	t->base = PPC_BL;
	t->mask = PPC_LI;
	t->bias = 0;
	t->shift = 0;
	t->pos = 0;
	t->len = 4;
	return 0;
}

int sc_arch_veneer_build(void *buf, uintptr_t veneer, uintptr_t target)
{
	return sc_arch_veneer_build_toc(buf, veneer, target, 0);
}

/* No branch-target protection on powerpc64: any target will do. */
int sc_arch_landing_pad(uintptr_t target)
{
	(void)target;
	return 1;
}

int sc_arch_prepare_site(uintptr_t site, unsigned char *rw, unsigned int flags)
{
	struct sc_decoded d;
	int err = sc_arch_decode(site, flags, &d);

	if (err)
		return err;
	if (load32(site + 4) == PPC_NOP) {
		__atomic_store_n((uint32_t *)(rw + 4), PPC_LD_R2_24_R1,
				 __ATOMIC_RELAXED);
		sc_arch_publish(site + 4, 4);
	}
	return 0;
}

int sc_arch_needs_prepare(uintptr_t site)
{
	return !(site & 3) && load32(site + 4) == PPC_NOP;
}

int sc_arch_store_atomic(uintptr_t site, unsigned char *rw,
			 const struct sc_insn *insn)
{
	return insn32_store_atomic(site, rw, insn);
}

/*
 * 32 bytes is the smallest cache block of any 64-bit Power CPU (970 has 128,
 * POWER7+ 128); stepping by it touches every block of the range, at worst a
 * few times.  Userland cannot read the block size without the auxv.
 */
#define PPC_MIN_LINE	32

/*
 * Power ISA Book II, "Instruction Storage": after storing instructions,
 * dcbst each block (write it to storage), sync, icbi each block
 * (invalidate the instruction cache copies, on every processor), sync,
 * then isync (discard what this processor prefetched); other processors
 * need a context synchronizing event of their own (membarrier SYNC_CORE,
 * or the core's sync hook).  No emulator models these caches (qemu:
 * neither qemu-user nor the system lane), so only this reading, and
 * hardware, checks them.
 */
void sc_arch_publish(uintptr_t start, size_t len)
{
	uintptr_t end = start + len, p;

	if (!len)
		return;
	for (p = start & ~(uintptr_t)(PPC_MIN_LINE - 1); p < end; p += PPC_MIN_LINE)
		__asm__ volatile("dcbst 0,%0" : : "r"(p) : "memory");
	__asm__ volatile("sync" : : : "memory");
	for (p = start & ~(uintptr_t)(PPC_MIN_LINE - 1); p < end; p += PPC_MIN_LINE)
		__asm__ volatile("icbi 0,%0" : : "r"(p) : "memory");
	__asm__ volatile("sync; isync" : : : "memory");
}

/* trap (tw 31,0,0), gdb's breakpoint on powerpc64 */
int sc_arch_debug_trap(uintptr_t site, const struct sc_insn *old)
{
	(void)old;
	return !(site & 3) && load32(site) == 0x7fe00008u;
}

int sc_arch_debug_keep(struct sc_insn *insn)
{
	(void)insn;
	return -EBUSY;
}
