/*
 * arch/x86_64/trap.c - the int3 trap protocol, for sites one atomic store
 * cannot write (sc_arch_needs_trap(): the 5 bytes cross an 8-byte word).
 *
 * Three phases, each followed by a round of core synchronisation: the
 * first byte becomes int3; the other four bytes are written; the first
 * byte is written.  A thread reaching the site meanwhile traps, and the
 * platform's trap handler calls staticcall_bp_handle(), which emulates the
 * new instruction (call: push the return address and go; jump: go; nop:
 * skip; ret: pop) or, when the bytes are complete already, runs the site
 * again.  The handler reads the key being written from the state below,
 * which stays after the write: a thread may take its trap late.
 *
 * Part of the freestanding core (it walks the key's runs through
 * runtime/internal.h); arch/notrap.c stands in for it on other CPUs.
 */
#include <errno.h>
#include <stdint.h>

#include "../../runtime/internal.h"
#include "insn.h"

/* The protocol's shared state, read by the trap handler. */
static struct {
	key_rec *primary;		/* key being written, NULL: none ever */
	struct staticcall_object *scope;
	uintptr_t target;
} bp;

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

int staticcall_bp_handle(uintptr_t *pc, uintptr_t *sp)
{
	key_rec *k = __atomic_load_n(&bp.primary, __ATOMIC_ACQUIRE);
	struct sc_run r = { 0 };
	struct sc_insn insn;
	uintptr_t site;
	unsigned int i;

	/* the trap instruction's pc is past the int3 written at the site */
	site = *pc - 1;
	if (!k)
		return 0;
	while (sc_run_next(k, bp.scope, &r)) {
		for (i = 0; i < r.n; i++) {
			if (staticcall_site_addr(&r.s[i]) != site)
				continue;
			if (*(volatile unsigned char *)site != X86_INT3) {
				*pc = site;	/* finished meanwhile: run it */
				return 1;
			}
			if (sc_site_insn(r.o, r.veneer, site,
					 staticcall_site_flags(&r.s[i]),
					 bp.target, &insn))
				return 0;
			return emulate(site, &insn, pc, sp) == 0;
		}
	}
	return 0;
}

static void write_bytes(uintptr_t site, const unsigned char *b,
			unsigned int from, unsigned int to)
{
	volatile unsigned char *p = (volatile unsigned char *)site;

	for (; from < to; from++)
		p[from] = b[from];
}

void sc_trap_store(const struct sc_write *w, struct staticcall_object *scope)
{
	static const unsigned char int3[1] = { X86_INT3 };
	struct sc_insn insn;
	unsigned int i;
	int pass;

	bp.scope = scope;
	bp.target = w->target;
	__atomic_store_n(&bp.primary, w->primary, __ATOMIC_RELEASE);
	for (pass = 1; pass <= 3; pass++) {
		struct sc_run r = { 0 };

		while (sc_run_next(w->primary, scope, &r)) {
			for (i = 0; i < r.n; i++) {
				uintptr_t a = staticcall_site_addr(&r.s[i]);
				unsigned int fl = staticcall_site_flags(&r.s[i]);

				if (!sc_arch_needs_trap(a))
					continue;
				if (pass == 1)
					sc_site_prepare(scope, a, fl);
				sc_site_insn(r.o, r.veneer, a, fl, w->target, &insn);
				if (pass == 1)
					write_bytes(a, int3, 0, 1);
				else if (pass == 2)
					write_bytes(a, insn.bytes, 1, insn.len);
				else
					write_bytes(a, insn.bytes, 0, 1);
			}
		}
		sc_sync_cores();
	}
}

void sc_trap_forget(void)
{
	/* the trap handler must not walk a record that left */
	if (bp.primary && kr_primary(bp.primary) != bp.primary)
		__atomic_store_n(&bp.primary, NULL, __ATOMIC_RELEASE);
}
