/*
 * arch/x86_64/trap.c - the int3 trap protocol, for sites one atomic store
 * cannot write (sc_arch_needs_trap(): the 5 bytes cross an 8-byte word).
 *
 * Three phases over every such site of every key of one write plan, each
 * followed by a round of core synchronisation: the first byte becomes
 * int3; the other four bytes are written; the first byte is written.  A
 * thread reaching a site meanwhile traps, and the platform's trap handler
 * calls staticcall_bp_handle(), which emulates the site's new instruction
 * (call: push the return address and go; jump: go; nop: skip; ret: pop)
 * or, when the int3 is gone already, runs the site again.
 *
 * The kernel may run the handler long after the trap (the thread was
 * preempted between the exception and its signal frame), when the plan
 * that wrote that int3 has ended and another plan, of other keys, runs.
 * So the handler never asks "which key is being written": it resolves the
 * trap address against
 *   - the plan in flight, if any (bp.plan: its keys, scope and targets),
 *     which it reads only pinned (bp.pin: the writer does not return
 *     while a handler reads its plan);
 *   - every address the protocol has ever written int3 at (spans: a few
 *     address ranges that only grow, never pointing into an object), for
 *     a trap whose int3 is gone: the site is complete, run it.
 * doc/arch-x86_64.md gives the argument.  Freestanding, allocation-free;
 * the handler takes no lock and only spins on a plan that is finishing.
 *
 * Shadow stacks (CET, Linux 6.6+ arch_prctl(ARCH_SHSTK_ENABLE)): the
 * handler cannot push onto or pop from the thread's shadow stack (user
 * space writes it only with WRSS, which Linux leaves disabled), so an
 * emulated call would return through an address the shadow stack never
 * saw (#CP, SIGSEGV) and an emulated ret would leave its entry behind.  A
 * thread with a shadow stack (rdssp non-zero) therefore never has a call
 * or a ret emulated: it runs the site again and traps until the protocol
 * has written the site's first byte (at most three rounds of core
 * synchronisation later).  Jumps and nops are still emulated.
 *
 * Part of the freestanding core (it walks the plan's runs through
 * runtime/internal.h); arch/notrap.c stands in for it on other CPUs.
 */
#include <errno.h>
#include <stdint.h>

#include "../../runtime/internal.h"
#include "insn.h"

/*
 * The plan whose int3 bytes may be in the text.  seq is odd from before
 * the first int3 of a plan until after its last first byte is back and
 * synchronised; only the writer (updater lock held) stores it.
 */
static struct {
	unsigned long seq;
	const struct sc_plan *plan;
} bp;

/*
 * A handler that reads bp.plan first claims a slot with the plan's seq;
 * at the end of the plan the writer waits until no slot holds it.  A slot
 * left claimed by a thread that is gone (fork) holds an old seq and never
 * holds up a later plan, whose seq is higher.
 */
#define BP_PINS	64
static unsigned long pin[BP_PINS];

/*
 * Address ranges [lo, hi] holding every site the protocol has written
 * int3 at; lo 0: unused.  Written before the first int3 of a plan, only
 * ever widened, so a handler, however late, finds its site in them.
 */
#define BP_SPANS	16
#define BP_SPAN_JOIN	(16UL << 20)	/* closer than this: one range */
static uintptr_t span_lo[BP_SPANS], span_hi[BP_SPANS];

static void span_add(uintptr_t lo, uintptr_t hi)
{
	unsigned int i, best = BP_SPANS, free = BP_SPANS;
	uintptr_t gap, best_gap = UINTPTR_MAX;

	for (i = 0; i < BP_SPANS; i++) {
		uintptr_t l = span_lo[i], h = span_hi[i];

		if (!l) {
			if (free == BP_SPANS)
				free = i;
			continue;
		}
		gap = hi < l ? l - hi : lo > h ? lo - h : 0;
		if (gap < best_gap) {
			best_gap = gap;
			best = i;
		}
	}
	if (best_gap >= BP_SPAN_JOIN && free < BP_SPANS) {
		/* hi first: a reader takes lo 0 for unused */
		__atomic_store_n(&span_hi[free], hi, __ATOMIC_RELEASE);
		__atomic_store_n(&span_lo[free], lo, __ATOMIC_RELEASE);
		return;
	}
	/* widen only: every reader sees the old range or more */
	if (lo < span_lo[best])
		__atomic_store_n(&span_lo[best], lo, __ATOMIC_RELEASE);
	if (hi > span_hi[best])
		__atomic_store_n(&span_hi[best], hi, __ATOMIC_RELEASE);
}

static int span_has(uintptr_t a)
{
	unsigned int i;

	for (i = 0; i < BP_SPANS; i++) {
		uintptr_t lo = __atomic_load_n(&span_lo[i], __ATOMIC_ACQUIRE);

		if (lo && lo <= a && a <= __atomic_load_n(&span_hi[i], __ATOMIC_ACQUIRE))
			return 1;
	}
	return 0;
}

/*
 * 1: no thread has a call or ret emulated, as if every thread had a
 * shadow stack (the testsuite's way to run that path without CET: the
 * trap-keys test).  Hidden: not part of the library's interface.
 */
__attribute__((visibility("hidden"))) int sc_bp_restart_only;

/*
 * Whether the running thread has a shadow stack: rdssp leaves 0 in its
 * register where shadow stacks are off or absent (a nop without CET).
 */
static int shadow_stack(void)
{
	uintptr_t ssp = 0;

	__asm__ volatile("rdsspq %0" : "+r"(ssp));
	return ssp != 0;
}

/* A first byte some site instruction of insn.h starts with. */
static int site_opcode(unsigned char b)
{
	return b == X86_CALL || b == X86_JMP ||
	       b == (unsigned char)X86_FORM_NOP[0] ||
	       b == (unsigned char)X86_FORM_RET[0] ||
	       b == (unsigned char)X86_FORM_RET0[0] ||
	       b == (unsigned char)X86_FORM_RET0_TAIL[0];
}

/*
 * Emulate @insn, the site's new instruction, for a thread that trapped at
 * @site: compute its new pc and, for a call, push the return address.
 */
static int emulate(uintptr_t site, const struct sc_insn *insn,
		   uintptr_t *pc, uintptr_t *sp)
{
	uintptr_t ret = site + X86_SITE_LEN;

	if (insn->len != X86_SITE_LEN)
		return -EINVAL;
	if ((insn->bytes[0] == X86_CALL || insn->bytes[0] == X86_RET) &&
	    (sc_bp_restart_only || shadow_stack())) {
		*pc = site;	/* a shadow stack: trap again until done */
		return 0;
	}
	if (insn->bytes[0] == X86_CALL) {
		*sp -= 8;
		*(uintptr_t *)*sp = ret;
		*pc = ret + (intptr_t)x86_rel32(insn->bytes + 1);
		return 0;
	}
	if (insn->bytes[0] == X86_JMP) {
		*pc = ret + (intptr_t)x86_rel32(insn->bytes + 1);
		return 0;
	}
	if (insn->bytes[0] == (unsigned char)X86_FORM_NOP[0] &&
	    insn->bytes[1] == (unsigned char)X86_FORM_NOP[1]) {
		*pc = ret;		/* nop: skip the site */
		return 0;
	}
	if (insn->bytes[0] == X86_RET) {
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

/* The new instruction of @site if @plan writes it with the protocol. */
static int plan_insn(const struct sc_plan *plan, uintptr_t site,
		     struct sc_insn *insn)
{
	unsigned int j, i;

	/*
	 * Any site of the plan with an int3 (the platform's text_torn hook,
	 * which decided which sites the protocol writes, is not for a
	 * signal handler): the protocol wrote it, or a debugger did, whose
	 * trap the kernel hands to the debugger, never to us.
	 */
	for (j = 0; j < plan->n; j++) {
		struct sc_write wj, *w = &wj;
		struct sc_run r = { 0 };

		sc_plan_write(plan, j, w);
		if (!w->primary)
			continue;
		while (sc_run_next(w->primary, plan->scope, &r))
			for (i = 0; i < r.n; i++)
				if (staticcall_site_addr(&r.s[i]) == site)
					return sc_site_insn(r.o, r.veneer, site,
							    staticcall_site_flags(&r.s[i]),
							    w->target, insn) == 0;
	}
	return 0;
}

/* Claim a pin slot for the plan of odd @seq; 0: that plan has ended. */
static int pin_claim(unsigned long seq, unsigned int *slot)
{
	unsigned int i;

	for (;;) {
		for (i = 0; i < BP_PINS; i++) {
			unsigned long zero = 0;

			if (__atomic_load_n(&pin[i], __ATOMIC_RELAXED) ||
			    !__atomic_compare_exchange_n(&pin[i], &zero, seq, 0,
							 __ATOMIC_SEQ_CST,
							 __ATOMIC_RELAXED))
				continue;
			/* pinned before the writer's end, or it has ended */
			if (__atomic_load_n(&bp.seq, __ATOMIC_SEQ_CST) == seq) {
				*slot = i;
				return 1;
			}
			__atomic_store_n(&pin[i], 0, __ATOMIC_RELEASE);
			return 0;
		}
		/* every slot busy: others are handling traps of this plan */
		if (__atomic_load_n(&bp.seq, __ATOMIC_SEQ_CST) != seq)
			return 0;
		__builtin_ia32_pause();
	}
}

enum { NOT_OURS, RESTART, EMULATE };

int staticcall_bp_handle(uintptr_t *pc, uintptr_t *sp)
{
	/* the trap instruction's pc is past the int3 written at the site */
	uintptr_t site = *pc - 1;
	struct sc_insn insn;
	unsigned long seq;
	unsigned int slot;
	unsigned char b;
	int verdict;

	for (;;) {
		seq = __atomic_load_n(&bp.seq, __ATOMIC_SEQ_CST);
		if ((seq & 1) && !pin_claim(seq, &slot))
			continue;	/* that plan ended meanwhile */
		/* after seq: an int3 of a plan that began is seen with it */
		b = __atomic_load_n((volatile unsigned char *)site, __ATOMIC_ACQUIRE);
		if (b != X86_INT3)
			/* gone: a site is complete again (whatever wrote it) */
			verdict = site_opcode(b) && span_has(site) ? RESTART : NOT_OURS;
		else if ((seq & 1) &&
			 plan_insn(__atomic_load_n(&bp.plan, __ATOMIC_ACQUIRE),
				   site, &insn))
			verdict = EMULATE;
		else
			verdict = NOT_OURS;
		if (seq & 1) {
			/* pinned: no other plan began, the int3 was this one's */
			__atomic_store_n(&pin[slot], 0, __ATOMIC_RELEASE);
			break;
		}
		/* unpinned: an int3 read while a plan began is retried */
		if (__atomic_load_n(&bp.seq, __ATOMIC_SEQ_CST) == seq)
			break;
	}
	if (verdict == RESTART)
		*pc = site;
	else if (verdict == EMULATE)
		return emulate(site, &insn, pc, sp) == 0;
	return verdict != NOT_OURS;
}

/*
 * The bytes [from, to) of @b at @site.  The bytes go where the plan's
 * atomic stores go (sc_arch_store_atomic's @rw: the site itself under the
 * mprotect window); the handler reads them at @site.
 */
static void write_bytes(uintptr_t site, const unsigned char *b,
			unsigned int from, unsigned int to)
{
	for (; from < to; from++)
		*(volatile unsigned char *)sc_text_rw(site + from) = b[from];
}

/*
 * Every trap site of @plan's keys: @pass 0 records their ranges; 1, 2, 3
 * are the phases.
 */
static void trap_pass(const struct sc_plan *plan, int pass)
{
	static const unsigned char int3[1] = { X86_INT3 };
	struct sc_insn insn;
	unsigned int i, j;

	for (j = 0; j < plan->n; j++) {
		struct sc_write wj, *w = &wj;
		struct sc_run r = { 0 };

		sc_plan_write(plan, j, w);
		if (!w->primary)
			continue;
		while (sc_run_next(w->primary, plan->scope, &r)) {
			uintptr_t lo = UINTPTR_MAX, hi = 0;

			for (i = 0; i < r.n; i++) {
				uintptr_t a = staticcall_site_addr(&r.s[i]);
				unsigned int fl = staticcall_site_flags(&r.s[i]);

				if (!sc_site_needs_trap(a))
					continue;
				if (pass == 0) {
					lo = a < lo ? a : lo;
					hi = a > hi ? a : hi;
					continue;
				}
				if (pass == 1)
					sc_site_prepare(plan->scope, a, fl);
				sc_site_insn(r.o, r.veneer, a, fl, w->target, &insn);
				if (pass == 1)
					write_bytes(a, int3, 0, 1);
				else if (pass == 2)
					write_bytes(a, insn.bytes, 1, insn.len);
				else
					write_bytes(a, insn.bytes, 0, 1);
			}
			if (pass == 0 && lo <= hi)
				span_add(lo, hi);
		}
	}
}

void sc_trap_store(const struct sc_plan *plan)
{
	unsigned long seq = bp.seq + 1;
	unsigned int i;
	int pass;

	trap_pass(plan, 0);
	__atomic_store_n(&bp.plan, plan, __ATOMIC_RELEASE);
	/* seq_cst: before every int3 below, for every thread */
	__atomic_store_n(&bp.seq, seq, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (pass = 1; pass <= 3; pass++) {
		trap_pass(plan, pass);
		sc_sync_cores();
	}
	/* No int3 of the plan is left: late traps restart from the spans. */
	__atomic_store_n(&bp.seq, seq + 1, __ATOMIC_SEQ_CST);
	for (i = 0; i < BP_PINS; i++)
		while (__atomic_load_n(&pin[i], __ATOMIC_SEQ_CST) == seq)
			__builtin_ia32_pause();
}
