/*
 * staticcall/arch.h - the contract between the generic runtime core
 * (runtime/) and one CPU back end (arch/<cpu>/site.c).
 *
 * Generic code never sees an opcode: it asks the back end to decode what is
 * at a site, to encode the instruction that makes a site reach a target, to
 * build a veneer when the target is out of reach, and to publish written
 * text.  Every function here is freestanding (no libc, no allocation) and is
 * called with the updater lock held unless said otherwise.
 *
 * Addresses are uintptr_t.  "site" is the executing address of the first
 * byte of the call instruction (struct staticcall_site_rec, abi.h).
 */
#ifndef STATICCALL_ARCH_H
#define STATICCALL_ARCH_H

#include <stddef.h>
#include <stdint.h>

/* What a site does.  Tail sites (STATICCALL_SITE_TAIL) use the _TAIL forms. */
enum sc_form {
	SC_FORM_CALL,		/* call dest                          */
	SC_FORM_TAIL,		/* jump dest (tail call)              */
	SC_FORM_NOP,		/* NULL target, call site: do nothing */
	SC_FORM_RET,		/* NULL target, tail site: return     */
	SC_FORM_RET0,		/* return-0 target, call site: r = 0  */
	SC_FORM_RET0_TAIL,	/* return-0 target, tail site: r = 0; return */
};

#define SC_INSN_MAX	16

/* The bytes of one site, as the back end encodes or reads them. */
struct sc_insn {
	unsigned char bytes[SC_INSN_MAX];
	unsigned int len;
};

/* A decoded site. */
struct sc_decoded {
	enum sc_form form;
	uintptr_t dest;		/* for CALL/TAIL: where it branches */
};

/*
 * Back-end constants and capabilities, filled by each arch/<cpu>/site.c.
 * Generic code asks these, never which CPU it runs on.
 */
struct sc_arch_info {
	const char *name;	/* "x86_64", "aarch64", "powerpc64le" */
	unsigned int site_len;	/* bytes a site occupies (5, 4, 4)      */
	/*
	 * Bytes from a site's first byte that a text window must cover: what
	 * the store and sc_arch_prepare_site() write (8 on all three: the
	 * x86-64 8-byte word holding the site; the powerpc64 word after the
	 * bl).
	 */
	unsigned int site_span;
	/*
	 * Bytes of the aligned word one atomic store writes
	 * (sc_arch_store_atomic()): 8 on x86-64, 4 on aarch64 and powerpc64.
	 * A site lying inside one such word is written with one store; the
	 * core then reads, compares and splices that word itself, as
	 * sc_arch_store_atomic() does, without a call per site.
	 */
	unsigned int store_unit;
	/*
	 * Bytes from a site's first byte that sc_arch_decode() validates (5,
	 * 4, 8: powerpc64 also checks the word after the bl).  When it is
	 * the instruction's length, a site holding exactly what the runtime
	 * encodes for the current target is valid without a decode (the
	 * core's check compares it as one value); otherwise every site is
	 * decoded.
	 */
	unsigned int decode_len;
	uintptr_t reach;	/* a direct branch reaches [site - reach, site + reach) */
	unsigned int veneer_size;	/* bytes per veneer, 0: no veneers */
	unsigned int veneer_align;	/* alignment of a veneer */
	/*
	 * Forms this back end cannot write inline, as a mask of
	 * (1u << SC_FORM_*).  For such a form the core encodes SC_FORM_CALL
	 * (call site) or SC_FORM_TAIL (tail site) to a function that does it
	 * instead: an empty function for NOP/RET, one returning 0 for
	 * RET0/RET0_TAIL, through a veneer when out of reach.  aarch64: only
	 * B, BL and NOP may be modified while executing, so RET/RET0/RET0_TAIL
	 * are calls.  powerpc64: the word after every site restores r2, valid
	 * only once a prologue or a veneer saved it, so all but CALL are
	 * calls.  0 (the default): every form inline (x86-64).
	 */
	unsigned int target_forms;
	/*
	 * 1: every site is prepared and bound when its object registers, even
	 * for a key at its default (powerpc64: doc/arch-powerpc64.md, "r2 and
	 * the TOC").  0: a site stays as the linker left it until its key is
	 * retargeted.
	 */
	unsigned int bind_at_registration;
	/*
	 * 1: some sites cannot be written with one atomic store
	 * (sc_arch_needs_trap()) and go through the trap protocol, which needs
	 * the platform's bp_prepare hook (x86-64: sites crossing an 8-byte
	 * word).  0: never.
	 */
	unsigned int trap;
};
extern const struct sc_arch_info sc_arch;

/*
 * Decode the instruction at @site (flags: STATICCALL_SITE_*).  Returns 0 and
 * fills @out, or -EINVAL when the bytes are not a form this back end writes,
 * or the site is not where a recorded site can be (x86-64: an ALIGNED site
 * crossing an 8-byte word; elsewhere a site not 4-aligned).  The core
 * decodes every site of a table when it indexes it, then at every update.
 */
int sc_arch_decode(uintptr_t site, unsigned int flags, struct sc_decoded *out);

/*
 * Encode @form at @site reaching @dest (ignored for NOP/RET/RET0 forms).
 * Returns 0, or -ERANGE when @dest is out of direct reach, or -EINVAL when
 * the form is impossible for this site (flags).
 */
int sc_arch_encode(uintptr_t site, unsigned int flags, enum sc_form form,
		   uintptr_t dest, struct sc_insn *out);

/*
 * One form's instruction at any site, worked out once for a run of sites
 * by the back end (sc_arch_insn_tmpl()) so that the core builds each
 * site's instruction with a few operations and no call
 * (sc_insn_from_tmpl()): the @len bytes, little-endian, of
 *     base | ((((dest - site - bias) >> shift) & mask) << pos)
 * mask 0: a fixed instruction, @base.  The x86-64 rel32 after its opcode
 * byte, the A64 imm26 and the powerpc LI field all take this shape.
 */
struct sc_insn_tmpl {
	uint64_t base;
	uint64_t mask;
	unsigned int bias, shift, pos, len;
};

/*
 * Fill @t for @form at sites with @flags.  0, or -EINVAL when the form is
 * impossible for such sites (as sc_arch_encode()).  Reach is the
 * caller's: @t gives what sc_arch_encode() gives only at sites where that
 * succeeds for the same destination.
 */
int sc_arch_insn_tmpl(unsigned int flags, enum sc_form form,
		      struct sc_insn_tmpl *t);

/* The instruction of @t at @site reaching @dest: its t->len bytes are
 * the value's, least significant first. */
static inline uint64_t sc_insn_tmpl_value(const struct sc_insn_tmpl *t,
					  uintptr_t site, uintptr_t dest)
{
	uint64_t disp = (uint64_t)(dest - site - t->bias);

	return t->base | (((disp >> t->shift) & t->mask) << t->pos);
}

static inline void sc_insn_from_tmpl(const struct sc_insn_tmpl *t,
				     uintptr_t site, uintptr_t dest,
				     struct sc_insn *out)
{
	uint64_t v = sc_insn_tmpl_value(t, site, dest);
	unsigned int i;

	for (i = 0; i < t->len; i++)
		out->bytes[i] = (unsigned char)(v >> (8 * i));
	out->len = t->len;
}

/*
 * The address a site with @flags (STATICCALL_SITE_*) in an object whose TOC
 * pointer is @site_toc (0: unknown or not applicable) should branch to in
 * order to call @target directly, or 0 when it must go through a veneer
 * even if in reach.  x86-64 and aarch64 return @target.
 *
 * powerpc64 returns 0 ("use a veneer", never a branch to address 0) unless
 * the site may call @target directly under the r2/TOC rule
 * (doc/arch-powerpc64.md, "r2 and the TOC"); then the entry to branch to.
 * It reads the target's first words.
 */
uintptr_t sc_arch_direct_dest(uintptr_t target, unsigned int flags,
			      uintptr_t site_toc);

/*
 * Build a veneer at @veneer (executing address) into @buf (sc_arch.veneer_size
 * bytes, written through whatever mapping the platform gives) that transfers
 * to @target preserving the call's arguments and return address.  Uses only
 * x16/x17 on aarch64, r12 and the TOC save slot on powerpc64.  Returns 0 or
 * -EINVAL.
 */
int sc_arch_veneer_build(void *buf, uintptr_t veneer, uintptr_t target);

/*
 * 1 when the veneer's indirect branch may land on @target's first
 * instruction in memory that enforces landing pads (arm64 BTI guarded
 * pages, x86-64 IBT), 0 when it would fault there.  aarch64: bti c, j or
 * jc, paciasp or pacibsp (the veneer branches through x16: BTYPE 01);
 * x86-64: endbr64; powerpc64: always 1 (no such protection).  Reads the
 * target's first instruction.  The core asks only when the platform says
 * the target's page enforces them (staticcall_platform.text_guarded).
 */
int sc_arch_landing_pad(uintptr_t target);
/*
 * In every back end the target word is the
 * last 8 bytes of the veneer (offset sc_arch.veneer_size - 8, 8-aligned
 * when the veneer is sc_arch.veneer_align-aligned): a live veneer is
 * retargeted with one atomic 8-byte store there.  Veneer slots must be
 * sc_arch.veneer_size bytes: x86-64 16, aarch64 16, powerpc64 40 (the
 * veneer saves r2 first: arch/powerpc64/site.c).
 */

/*
 * Prepare a freshly registered site before any thread can run it (powerpc64:
 * the nop after bl becomes ld r2,24(r1)).  Returns 0, -EINVAL when the bytes
 * around the site are not as expected, or 0 with nothing to do.  Writes via
 * @rw, the writable alias of @site (same as @site when text is mprotected).
 */
int sc_arch_prepare_site(uintptr_t site, unsigned char *rw, unsigned int flags);
/*
 * When sc_arch.bind_at_registration is set and some site of the object
 * needs it (sc_arch_needs_prepare()) the core, at registration (nothing
 * runs the object's sites yet), opens a text window over
 * [site, site + sc_arch.site_span) for every site, calls
 * sc_arch_prepare_site() and binds the site to its key's current target
 * as it does for an update (a direct branch only where
 * sc_arch_direct_dest() allows it, else a veneer).  aarch64 and x86-64
 * prepare nothing.
 */

/*
 * 1 when sc_arch_prepare_site() would write at @site (powerpc64: the word
 * after the bl is still the nop; the plugin emits the restore for
 * TOC_SAVED sites).  Reads [site, site + sc_arch.site_span).  The core
 * binds an object at registration (sc_arch.bind_at_registration) only
 * when one of its sites needs it.
 */
int sc_arch_needs_prepare(uintptr_t site);

/*
 * Store @insn at @site through its writable alias @rw so that a thread
 * executing the site sees either the old or the new instruction, never a
 * mix: one aligned atomic store (x86-64: the 8-byte word holding the site;
 * aarch64/powerpc64: one 4-byte word).  Returns -EINVAL when that is not
 * possible (sc_arch_needs_trap()); the caller then uses the trap
 * protocol.
 */
int sc_arch_store_atomic(uintptr_t site, unsigned char *rw,
			 const struct sc_insn *insn);

/*
 * Make written text visible to instruction fetch on this core and, as far
 * as the architecture does it in hardware or by broadcast, on others
 * (aarch64: dc cvau / dsb ish / ic ivau / dsb ish / isb with line sizes
 * from CTR_EL0; powerpc64: dcbst / sync / icbi / sync / isync; x86-64:
 * nothing).  The platform still synchronises all cores afterwards.
 */
void sc_arch_publish(uintptr_t start, size_t len);

/*
 * 1 when the site at @site cannot be written with sc_arch_store_atomic()
 * and needs the trap protocol (only when sc_arch.trap): exactly when its
 * sc_arch.site_len bytes cross the aligned sc_arch.store_unit word
 * holding its first byte (x86-64: an 8-byte word), which the core tests
 * itself per site (runtime/internal.h).  The protocol itself, with the state its trap
 * handler reads, is arch/<cpu>/trap.c (arch/notrap.c where sc_arch.trap
 * is 0).
 */
int sc_arch_needs_trap(uintptr_t site);

/* ---- the trap protocol (sc_arch.trap) ---- */

/* One site the trap protocol writes: where, and its new instruction. */
struct sc_trap_entry {
	uintptr_t site;
	struct sc_insn insn;
};

/*
 * Entries of one batch (static storage of the core: 32 bytes each).  A
 * plan with more sites to write with the protocol writes them in
 * several batches, as Linux's text_poke_queue() flushes a full tp_vec.
 */
#define SC_TRAP_BATCH	256

/*
 * Write @n entries of @v (1 <= @n <= SC_TRAP_BATCH, sorted by site,
 * no site twice) with the trap protocol, the way Linux's
 * text_poke_bp_batch() does: the trap instruction on the first byte of
 * every site, @sync_cores, the other bytes, @sync_cores, the first
 * bytes, @sync_cores.  Stores go through @rw (the core's write view,
 * sc_text_rw: the text windows are open).  Meanwhile a thread reaching
 * a site traps and the platform's handler calls staticcall_bp_handle()
 * (staticcall/platform.h), which finds the site in @v (binary search)
 * and emulates its new instruction.  @v is read by handlers until this
 * returns; the caller may reuse it then.  Called with the updater lock
 * held, only after the platform's bp_prepare hook succeeded.
 */
void sc_arch_trap_store(const struct sc_trap_entry *v, unsigned int n,
			void *(*rw)(uintptr_t site), void (*sync_cores)(void));

/*
 * A debugger's software breakpoint at @site: 1 when the bytes there are
 * the trap instruction a debugger writes (gdb: int3 on x86-64, brk on
 * arm64, trap on powerpc64) over @old, the instruction the runtime or the
 * linker left at the site (x86-64: the other bytes are @old's; elsewhere
 * the trap replaces the whole word and nothing else can be compared);
 * 0 otherwise (a corrupt site).  @old NULL: 1 when the bytes are such a
 * trap instruction at all (a cheap test before the full one).  The core
 * then neither refuses the object nor overwrites the trap.
 */
int sc_arch_debug_trap(uintptr_t site, const struct sc_insn *old);
/*
 * Make @insn, the new instruction of a site that holds a debugger's trap
 * over an instruction of the same form, keep the trap, so that the
 * debugger's restore of the bytes it saved yields @insn's effect (x86-64:
 * the first byte stays int3, the call's opcode, the new rel32 goes in).
 * 0, or -EBUSY when the new instruction cannot be written under the trap
 * (arm64, powerpc64: the debugger would put back the old word).
 */
int sc_arch_debug_keep(struct sc_insn *insn);

#endif /* STATICCALL_ARCH_H */
