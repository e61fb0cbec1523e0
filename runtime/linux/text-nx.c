/*
 * runtime/linux/text-nx.c - the "nx" text writer, the default: while the
 * core stores, the pages holding the sites are PROT_READ|PROT_WRITE and
 * not executable; then PROT_READ|PROT_EXEC again.  Text is never writable
 * and executable at once, stays the program's own file-backed private
 * mapping (/proc/PID/maps, perf and gdb see the file), and only the pages
 * written become private (copy-on-write, as for a debugger's breakpoint).
 * It costs what the stores cost: the same two mprotect calls as an RWX
 * window.
 *
 * A thread that fetches an instruction from such a page meanwhile takes a
 * SIGSEGV; the handler (text-park.c) sees the address in a range this writer made
 * non-executable and waits (futex) until the window is closed, then
 * returns: the instruction runs again, from executable text.  This is the
 * int3 protocol of Linux's text_poke_bp with the page table as the
 * breakpoint.  The stores are still the core's single aligned atomic
 * stores followed by the CPU's cache maintenance (sc_arch_publish: on
 * arm64 dc cvau, dsb ish, ic ivau, dsb ish, isb, the Arm ARM's rule for
 * instructions written by another observer; on powerpc64 dcbst, sync,
 * icbi, sync, isync, Power ISA Book II 1.8) and a membarrier SYNC_CORE
 * round: a thread that fetched a site before the window and executes it
 * after sees the old or the new instruction, never a mix, exactly as with
 * the other writers.  The window adds safety, never replaces it.
 *
 * What must never be made non-executable: code the writer thread runs
 * between the two mprotect calls (the runtime, the libc functions it
 * calls) and code a parked thread runs (the handler, libc's signal
 * return).  In a program linked dynamically with libstaticcall.so these
 * live in objects without sites; when a window would touch an executable
 * segment holding any of them (a static link) that window goes through
 * /proc/self/mem instead (sc_nx_own(), text-own.c).  The writer thread blocks every
 * asynchronous signal while a window is open (a handler of the program
 * may be code in it), and messages are logged after the close
 * (sc_text_log).
 *
 * The OS must let text become executable again: MDWE
 * (PR_MDWE_REFUSE_EXEC_GAIN) and W^X seccomp filters refuse that.  Before
 * the first window of each lock hold a scratch page makes the same round
 * trip (two system calls on a page never touched); a refusal switches
 * the process to /proc/self/mem for good (text.c logs it once).
 *
 * Windows are opened lazily: text_open only records the range; the first
 * store (text_alias) makes every recorded range writable with one
 * mprotect per executable segment, over the segment's part from the first
 * recorded page to the last (the pages between are made non-executable
 * too, never written: they stay shared with the file).  The close of the
 * last window makes them executable again, with one mprotect each.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "text.h"

/* ---- can text become executable again? ---- */

static unsigned char *scratch;
static int usable_err, probed;

int sc_nx_usable(void)
{
	if (usable_err)
		return usable_err;
	if (probed)
		return 0;
	probed = 1;
	if (!scratch) {
		void *p = mmap(NULL, sc_text_page, PROT_READ | PROT_EXEC,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			usable_err = -errno;
			return usable_err;
		}
		scratch = p;
	}
	if (mprotect(scratch, sc_text_page, PROT_READ | PROT_WRITE) ||
	    mprotect(scratch, sc_text_page, PROT_READ | PROT_EXEC)) {
		usable_err = errno == EACCES || errno == EPERM ? -errno : -EPERM;
		return usable_err;
	}
	if ((usable_err = sc_park_installed()))
		return usable_err;
	return 0;
}

/* ---- windows ---- */

struct window {
	uintptr_t lo, hi;
	unsigned int refs;
};
static struct window *wins;	/* open windows, in opening order */
static size_t nwins, win_cap;
/* what is non-executable now: per segment, one range */
struct piece {
	uintptr_t lo, hi;
};
static struct piece *pieces;
static size_t npieces, piece_cap, committed;	/* wins[0..committed) in pieces */
int sc_nx_pending;	/* windows opened and not yet writable */
static sigset_t saved_mask;

int sc_nx_open(uintptr_t start, size_t len)
{
	size_t i;

	for (i = 0; i < nwins; i++)
		if (wins[i].lo == start && wins[i].hi == start + len) {
			wins[i].refs++;
			return 0;
		}
	if (nwins == win_cap) {
		size_t cap = win_cap ? 2 * win_cap : 64;
		struct window *w = realloc(wins, cap * sizeof(*w));
		struct piece *p = realloc(pieces, cap * sizeof(*p));

		if (w)
			wins = w;
		if (p)
			pieces = p;
		if (!w || !p)
			return -ENOMEM;
		win_cap = piece_cap = cap;
	}
	wins[nwins].lo = start;
	wins[nwins].hi = start + len;
	wins[nwins].refs = 1;
	nwins++;
	sc_nx_pending = 1;
	return 0;
}

/*
 * The piece of @lo's segment that [lo, hi) may join (their union holds
 * none of the runtime's pages), or NULL: a piece of its own.
 */
static struct piece *piece_of(uintptr_t lo, uintptr_t hi,
			      uintptr_t *slo, uintptr_t *shi)
{
	size_t i;

	*slo = lo;
	*shi = hi;
	sc_own_segment(lo, slo, shi);
	for (i = 0; i < npieces; i++) {
		uintptr_t ul = lo < pieces[i].lo ? lo : pieces[i].lo;
		uintptr_t uh = hi > pieces[i].hi ? hi : pieces[i].hi;

		if (pieces[i].lo < *shi && *slo < pieces[i].hi &&
		    !sc_own_crosses(ul, uh))
			return &pieces[i];
	}
	return NULL;
}

static int protect(uintptr_t lo, uintptr_t hi, int prot)
{
	if (lo >= hi)
		return 0;
	sc_park_span_add(lo, hi);
	return mprotect((void *)lo, hi - lo, prot) ? -errno : 0;
}

void sc_nx_commit(void)
{
	size_t i;
	int err;

	if (committed == nwins)
		return;
	if (!npieces) {
		/* the first non-executable page: park others, not us */
		sigset_t all;

		sigfillset(&all);
		sigdelset(&all, SIGSEGV);
		sigdelset(&all, SIGBUS);
		sigdelset(&all, SIGILL);
		sigdelset(&all, SIGFPE);
		sigdelset(&all, SIGTRAP);
		pthread_sigmask(SIG_BLOCK, &all, &saved_mask);
		sc_park_begin();
	}
	for (i = committed; i < nwins; i++) {
		uintptr_t lo = wins[i].lo, hi = wins[i].hi, slo, shi;
		struct piece *p = piece_of(lo, hi, &slo, &shi);

		/* within the segment (a window may reach a page past it) */
		lo = lo < slo ? slo : lo;
		hi = hi > shi ? shi : hi;
		sc_private_drop(lo, hi);
		if (!p) {
			p = &pieces[npieces];
			p->lo = p->hi = lo;
			err = protect(lo, hi, PROT_READ | PROT_WRITE);
			if (!err) {
				p->hi = hi;
				npieces++;
			}
		} else {
			err = protect(lo, p->lo, PROT_READ | PROT_WRITE);
			if (!err)
				err = protect(p->hi, hi, PROT_READ | PROT_WRITE);
			if (!err) {
				p->lo = lo < p->lo ? lo : p->lo;
				p->hi = hi > p->hi ? hi : p->hi;
			}
		}
		if (!err)
			sc_private_fill(lo, hi);
		if (err) {
			/* written through /proc/self/mem instead */
			unsigned int r = wins[i].refs;

			sc_text_log("staticcall: cannot make text %p+%lx writable (errno %d): written through /proc/self/mem",
				    (void *)lo, (unsigned long)(hi - lo), -err);
			while (r && !sc_procmem_open(wins[i].lo,
						      wins[i].hi - wins[i].lo))
				r--;
			if (!r) {
				wins[i].refs = 0;
				wins[i].lo = wins[i].hi = 0;
			}
		}
	}
	committed = nwins;
	sc_nx_pending = 0;
}

int sc_nx_close(uintptr_t start, size_t len)
{
	size_t i;

	for (i = 0; i < nwins; i++)
		if (wins[i].lo == start && wins[i].hi == start + len)
			break;
	if (i == nwins)
		return 0;
	if (--wins[i].refs)
		return 1;
	for (i = 0; i < nwins && !wins[i].refs; i++)
		;
	if (i < nwins)
		return 1;	/* others still open: all close together */
	for (i = 0; i < npieces; i++)
		if (mprotect((void *)pieces[i].lo, pieces[i].hi - pieces[i].lo,
			     PROT_READ | PROT_EXEC))
			sc_text_log("staticcall: cannot make text %p+%lx executable again, errno %d",
				    (void *)pieces[i].lo,
				    (unsigned long)(pieces[i].hi - pieces[i].lo), errno);
	if (npieces) {
		sc_park_end();
		pthread_sigmask(SIG_SETMASK, &saved_mask, NULL);
	}
	npieces = 0;
	nwins = 0;
	committed = 0;
	return 1;
}

void sc_nx_unlocked(void)
{
	sc_own_unlocked();
	probed = 0;
}

/* Called once, before the first window (text.c). */
void sc_nx_init(void)
{
	sc_own_init();
}
