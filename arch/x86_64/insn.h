/*
 * arch/x86_64/insn.h - the x86-64 site instructions: opcodes and pure
 * encode/decode over (bytes, pc).  No memory is read but @b, nothing is
 * written but @b: compiled for the target by the back end (site.c,
 * trap.c) and for the build machine by staticcall-tool (tools/scdecode.c),
 * which keeps its own rules of what it accepts.
 *
 * Every form is 5 bytes and ONE instruction: a thread preempted inside a
 * two-instruction form (xor; nop or xor; ret) would resume at site + 2 in
 * the middle of the rel32 of a call written meanwhile.
 *   CALL       e8 rel32              call dest
 *   TAIL       e9 rel32              jmp dest
 *   NOP        0f 1f 44 00 00        nopl 0(%rax,%rax,1)
 *   RET        c3 cc cc cc cc        ret (+ never-executed padding)
 *   RET0       2e 2e 2e 31 c0        cs cs cs xor %eax,%eax (Linux's xor5rax)
 *   RET0_TAIL  31 c0 c3 cc cc        xor; ret: two instructions, so never
 *                                    written (sc_arch.target_forms), only
 *                                    decoded (sites written by older runtimes)
 */
#ifndef STATICCALL_ARCH_X86_64_INSN_H
#define STATICCALL_ARCH_X86_64_INSN_H

#include <stdint.h>

#include "staticcall/arch.h"
#include "../le.h"

#define X86_CALL	0xe8
#define X86_JMP		0xe9
#define X86_RET		0xc3
#define X86_INT3	0xcc
#define X86_SITE_LEN	5

#define X86_FORM_NOP		"\x0f\x1f\x44\x00\x00"
#define X86_FORM_RET		"\xc3\xcc\xcc\xcc\xcc"
#define X86_FORM_RET0		"\x2e\x2e\x2e\x31\xc0"
#define X86_FORM_RET0_TAIL	"\x31\xc0\xc3\xcc\xcc"

/* The rel32 at @p (little-endian). */
static inline int32_t x86_rel32(const unsigned char *p)
{
	return (int32_t)le_get32(p);
}

static inline int x86_same5(const unsigned char *a, const char *b)
{
	unsigned int i;

	for (i = 0; i < X86_SITE_LEN; i++)
		if (a[i] != (unsigned char)b[i])
			return 0;
	return 1;
}

/*
 * The form of the 5 bytes at @b executing at @pc, and for CALL/TAIL the
 * destination.  Returns 0, or -1 when the bytes are none of the forms.
 */
static inline int x86_insn_decode(const unsigned char *b, uint64_t pc,
				  enum sc_form *form, uint64_t *dest)
{
	*dest = 0;
	if (b[0] == X86_CALL || b[0] == X86_JMP) {
		*form = b[0] == X86_CALL ? SC_FORM_CALL : SC_FORM_TAIL;
		*dest = pc + X86_SITE_LEN + (int64_t)x86_rel32(b + 1);
	} else if (x86_same5(b, X86_FORM_NOP)) {
		*form = SC_FORM_NOP;
	} else if (x86_same5(b, X86_FORM_RET)) {
		*form = SC_FORM_RET;
	} else if (x86_same5(b, X86_FORM_RET0)) {
		*form = SC_FORM_RET0;
	} else if (x86_same5(b, X86_FORM_RET0_TAIL)) {
		*form = SC_FORM_RET0_TAIL;
	} else {
		return -1;
	}
	return 0;
}

/*
 * Encode @form at @pc into @b (5 bytes), reaching @dest for CALL/TAIL.
 * Returns 0, or -1 when @dest is out of rel32 reach.
 */
static inline int x86_insn_encode(unsigned char *b, uint64_t pc,
				  enum sc_form form, uint64_t dest)
{
	const char *fixed = X86_FORM_NOP;
	int64_t rel;
	unsigned int i;

	switch (form) {
	case SC_FORM_CALL:
	case SC_FORM_TAIL:
		rel = (int64_t)(dest - (pc + X86_SITE_LEN));
		if (rel < INT32_MIN || rel > INT32_MAX)
			return -1;
		b[0] = form == SC_FORM_CALL ? X86_CALL : X86_JMP;
		le_put32(b + 1, (uint32_t)(int32_t)rel);
		return 0;
	case SC_FORM_NOP:
		break;
	case SC_FORM_RET:
		fixed = X86_FORM_RET;
		break;
	case SC_FORM_RET0:
		fixed = X86_FORM_RET0;
		break;
	case SC_FORM_RET0_TAIL:
		fixed = X86_FORM_RET0_TAIL;
		break;
	}
	for (i = 0; i < X86_SITE_LEN; i++)
		b[i] = (unsigned char)fixed[i];
	return 0;
}

#endif /* STATICCALL_ARCH_X86_64_INSN_H */
