/*
 * arch/x86_64/trap.c - the int3 trap protocol, for sites one atomic store
 * cannot write (sc_arch_needs_trap(): the 5 bytes cross an 8-byte word;
 * or the platform's stores may arrive in pieces, text_torn).
 *
 * The write plan hands sc_arch_trap_store() a batch: a bounded array of
 * (site, new instruction) sorted by site, as Linux's text_poke_bp_batch()
 * takes its tp_vec.  Three phases over the batch, each followed by a
 * round of core synchronisation: the first byte becomes int3; the other
 * four bytes are written; the first byte is written.  A thread reaching a
 * site meanwhile traps, and the platform's trap handler calls
 * staticcall_bp_handle(), which finds the site in the batch (binary
 * search) and emulates its new instruction (call: push the return
 * address and go; jump: go; nop: skip; ret: pop) or, when the int3 is
 * gone already, runs the site again.
 *
 * The kernel may run the handler long after the trap (the thread was
 * preempted between the exception and its signal frame), when the batch
 * that wrote that int3 has ended and another batch runs.  So the handler
 * resolves the trap address against
 *   - the batch in flight, if any (bp.v, bp.n), which it reads only
 *     pinned (pin[]: the writer does not return while a handler reads
 *     its batch);
 *   - every address the protocol has ever written int3 at (spans: a few
 *     address ranges that only grow, staticcall/spans.h), for a trap
 *     whose int3 is gone: the site is complete, run it.
 * doc/arch-x86_64.md gives the argument.  Freestanding, allocation-free;
 * the handler takes no lock and only spins on a batch that is finishing.
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
 * Part of the freestanding core; it sees only the arch contract
 * (staticcall/arch.h) and defines the platform contract's
 * staticcall_bp_handle().  arch/notrap.c stands in for it on other CPUs.
 */
#include <errno.h>
#include <stdint.h>

#include "staticcall/arch.h"
#include "staticcall/platform.h"
#include "staticcall/spans.h"
#include "insn.h"

/*
 * The batch whose int3 bytes may be in the text.  seq is odd from before
 * the first int3 of a batch until after its last first byte is back and
 * synchronised; only the writer (updater lock held) stores it.
 */
static struct {
	unsigned long seq;
	const struct sc_trap_entry *v;
	unsigned int n;
} bp;

/*
 * A handler that reads bp.v first claims a slot with the batch's seq; at
 * the end of the batch the writer waits until no slot holds it.  A slot
 * left claimed by a thread that is gone (fork) holds an old seq and never
 * holds up a later batch, whose seq is higher.
 */
#define BP_PINS	64
static unsigned long pin[BP_PINS];

/*
 * Address ranges holding every site the protocol has written int3 at.
 * Written before the first int3 of a batch, only ever widened, so a
 * handler, however late, finds its site in them.
 */
static struct sc_spans spans;

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

/* The entry of @site in the batch @v[0..n) (sorted by site), or NULL. */
static const struct sc_trap_entry *batch_find(const struct sc_trap_entry *v,
					      unsigned int n, uintptr_t site)
{
	unsigned int lo = 0, hi = n;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (v[mid].site == site)
			return &v[mid];
		if (v[mid].site < site)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Claim a pin slot for the batch of odd @seq; 0: that batch has ended. */
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
		/* every slot busy: others are handling traps of this batch */
		if (__atomic_load_n(&bp.seq, __ATOMIC_SEQ_CST) != seq)
			return 0;
		__builtin_ia32_pause();
	}
}

enum { NOT_OURS, RESTART, EMULATED };

int staticcall_bp_handle(uintptr_t *pc, uintptr_t *sp)
{
	/* the trap instruction's pc is past the int3 written at the site */
	uintptr_t site = *pc - 1;
	const struct sc_trap_entry *e;
	unsigned long seq;
	unsigned int slot;
	unsigned char b;
	int verdict;

	for (;;) {
		seq = __atomic_load_n(&bp.seq, __ATOMIC_SEQ_CST);
		if ((seq & 1) && !pin_claim(seq, &slot))
			continue;	/* that batch ended meanwhile */
		/* after seq: an int3 of a batch that began is seen with it */
		b = __atomic_load_n((volatile unsigned char *)site, __ATOMIC_ACQUIRE);
		if (b != X86_INT3)
			/* gone: a site is complete again (whatever wrote it) */
			verdict = site_opcode(b) && sc_spans_has(&spans, site) ?
				RESTART : NOT_OURS;
		else if ((seq & 1) &&
			 (e = batch_find(__atomic_load_n(&bp.v, __ATOMIC_ACQUIRE),
					 __atomic_load_n(&bp.n, __ATOMIC_ACQUIRE),
					 site))) {
			/*
			 * Any site of the batch with an int3: the protocol
			 * wrote it, or a debugger did, whose trap the kernel
			 * hands to the debugger, never to us.  Emulated
			 * pinned: the batch is not reused meanwhile.
			 */
			verdict = emulate(site, &e->insn, pc, sp) ? NOT_OURS : EMULATED;
		} else {
			verdict = NOT_OURS;
		}
		if (seq & 1) {
			/* pinned: no other batch began, the int3 was this one's */
			__atomic_store_n(&pin[slot], 0, __ATOMIC_RELEASE);
			break;
		}
		/* unpinned: an int3 read while a batch began is retried */
		if (__atomic_load_n(&bp.seq, __ATOMIC_SEQ_CST) == seq)
			break;
	}
	if (verdict == RESTART)
		*pc = site;
	return verdict != NOT_OURS;
}

/*
 * The bytes [from, to) of @b at @site, through the write view @rw (the
 * site itself under the mprotect window); the handler reads them at
 * @site.
 */
static void write_bytes(void *(*rw)(uintptr_t), uintptr_t site,
			const unsigned char *b, unsigned int from,
			unsigned int to)
{
	for (; from < to; from++)
		*(volatile unsigned char *)rw(site + from) = b[from];
}

/* The batch's sites into the spans, neighbours joined into one range. */
static void spans_record(const struct sc_trap_entry *v, unsigned int n)
{
	uintptr_t lo = v[0].site, hi = v[0].site + X86_SITE_LEN;
	unsigned int i;

	for (i = 1; i < n; i++) {
		if (v[i].site - hi >= SC_SPAN_JOIN) {
			sc_spans_add(&spans, lo, hi);
			lo = v[i].site;
		}
		hi = v[i].site + X86_SITE_LEN;
	}
	sc_spans_add(&spans, lo, hi);
}

void sc_arch_trap_store(const struct sc_trap_entry *v, unsigned int n,
			void *(*rw)(uintptr_t), void (*sync_cores)(void))
{
	static const unsigned char int3[1] = { X86_INT3 };
	unsigned long seq = bp.seq + 1;
	unsigned int i;

	if (!n)
		return;
	spans_record(v, n);
	__atomic_store_n(&bp.v, v, __ATOMIC_RELEASE);
	__atomic_store_n(&bp.n, n, __ATOMIC_RELEASE);
	/* seq_cst: before every int3 below, for every thread */
	__atomic_store_n(&bp.seq, seq, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (i = 0; i < n; i++)
		write_bytes(rw, v[i].site, int3, 0, 1);
	sync_cores();
	for (i = 0; i < n; i++)
		write_bytes(rw, v[i].site, v[i].insn.bytes, 1, v[i].insn.len);
	sync_cores();
	for (i = 0; i < n; i++)
		write_bytes(rw, v[i].site, v[i].insn.bytes, 0, 1);
	sync_cores();
	/* No int3 of the batch is left: late traps restart from the spans. */
	__atomic_store_n(&bp.seq, seq + 1, __ATOMIC_SEQ_CST);
	for (i = 0; i < BP_PINS; i++)
		while (__atomic_load_n(&pin[i], __ATOMIC_SEQ_CST) == seq)
			__builtin_ia32_pause();
}
