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
 * SIGSEGV; the handler here sees the address in a range this writer made
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
 * /proc/self/mem instead (sc_nx_own()).  The writer thread blocks every
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
#include <link.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/futex.h>
#include <unistd.h>

#include "staticcall/log.h"
#include "text.h"

/* ---- executable segments of the loaded objects ---- */

struct seg {
	uintptr_t lo, hi;	/* page-rounded PT_LOAD with PF_X */
	int own;		/* holds code the writer or a parked thread runs */
};
static struct seg *segs;
static size_t nsegs, seg_cap;
static unsigned long long seg_adds, seg_subs;
static int segs_known, segs_checked;

/*
 * Code that must stay executable while a window is open: the runtime's
 * own (the core runs between the mprotect calls; the handler), and libc's
 * mprotect, syscall and pthread_sigmask (libc's signal return, x86-64's
 * __restore_rt, is in the same segment; arm64 and powerpc64 return
 * through the vDSO, which has no sites).  In libstaticcall.a the
 * runtime's code is the section staticcall_text (runtime/local.mk): a
 * program linked with it keeps only those pages executable; otherwise
 * (libstaticcall.so) the whole segment holding it, which has no sites.
 */
extern char __start_staticcall_text[] __attribute__((weak, visibility("hidden")));
extern char __stop_staticcall_text[] __attribute__((weak, visibility("hidden")));
static uintptr_t own_code[5], own_lo, own_hi;

static int count_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	unsigned long long *c = data;

	if (size < offsetof(struct dl_phdr_info, dlpi_subs) + sizeof(info->dlpi_subs))
		return -1;
	c[0] = info->dlpi_adds;
	c[1] = info->dlpi_subs;
	return 1;	/* the counters are the same in every call */
}

static int seg_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	unsigned int i, j;

	(void)size;
	(void)data;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *p = &info->dlpi_phdr[i];
		struct seg *s;

		if (p->p_type != PT_LOAD || !(p->p_flags & PF_X))
			continue;
		if (nsegs == seg_cap) {
			size_t cap = seg_cap ? 2 * seg_cap : 64;

			s = realloc(segs, cap * sizeof(*s));
			if (!s)
				return 1;
			segs = s;
			seg_cap = cap;
		}
		s = &segs[nsegs++];
		s->lo = (info->dlpi_addr + p->p_vaddr) & ~(sc_text_page - 1);
		s->hi = (info->dlpi_addr + p->p_vaddr + p->p_memsz +
			 sc_text_page - 1) & ~(sc_text_page - 1);
		s->own = 0;
		for (j = 0; j < sizeof(own_code) / sizeof(own_code[0]); j++)
			if (own_code[j] >= s->lo && own_code[j] < s->hi)
				s->own = 1;
	}
	return 0;
}

static int seg_cmp(const void *a, const void *b)
{
	const struct seg *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* The segment list, read again when an object came or went (once per
 * lock hold at most: dl_iterate_phdr's counters). */
static void segs_refresh(void)
{
	unsigned long long c[2] = { 0, 0 };

	if (segs_checked)
		return;
	segs_checked = 1;
	if (dl_iterate_phdr(count_cb, c) != 1) {
		segs_known = 0;
		return;
	}
	if (segs_known && c[0] == seg_adds && c[1] == seg_subs)
		return;
	nsegs = 0;
	dl_iterate_phdr(seg_cb, NULL);
	qsort(segs, nsegs, sizeof(*segs), seg_cmp);
	seg_adds = c[0];
	seg_subs = c[1];
	segs_known = 1;
}

static const struct seg *seg_of(uintptr_t a)
{
	size_t lo = 0, hi = nsegs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a < segs[mid].lo)
			hi = mid;
		else if (a >= segs[mid].hi)
			lo = mid + 1;
		else
			return &segs[mid];
	}
	return NULL;
}

int sc_nx_own(uintptr_t start, size_t len)
{
	const struct seg *s;

	if (start < own_hi && own_lo < start + len)
		return 1;
	segs_refresh();
	if (!segs_known)
		return 1;	/* cannot tell: the safe side */
	s = seg_of(start);
	if (!s)
		s = seg_of(start + len - 1);
	return s && s->own;
}

/* ---- what a parked thread reads (async-signal-safe) ---- */

/*
 * gen is odd while pages are non-executable; waiters counts the threads
 * parked on it.  Ranges [span_lo, span_hi) hold every page this writer
 * ever made non-executable (written before the page is, only widened).
 */
static unsigned int gen, waiters;
#define NX_SPANS	16
#define NX_SPAN_JOIN	((uintptr_t)16 << 20)
static uintptr_t span_lo[NX_SPANS], span_hi[NX_SPANS];
/* the thread holding the windows, and each thread's last unexplained fault */
static __thread int is_writer __attribute__((tls_model("initial-exec")));
static __thread uintptr_t last_addr __attribute__((tls_model("initial-exec")));
static __thread unsigned int last_gen __attribute__((tls_model("initial-exec")));
static struct sigaction old_segv;

static void span_add(uintptr_t lo, uintptr_t hi)
{
	unsigned int i, best = NX_SPANS, free = NX_SPANS;
	uintptr_t gap, best_gap = UINTPTR_MAX;

	for (i = 0; i < NX_SPANS; i++) {
		uintptr_t l = span_lo[i], h = span_hi[i];

		if (!h) {
			if (free == NX_SPANS)
				free = i;
			continue;
		}
		gap = hi < l ? l - hi : lo > h ? lo - h : 0;
		if (gap < best_gap) {
			best_gap = gap;
			best = i;
		}
	}
	if (best_gap >= NX_SPAN_JOIN && free < NX_SPANS) {
		/* lo first: a reader takes hi 0 for unused */
		__atomic_store_n(&span_lo[free], lo, __ATOMIC_RELEASE);
		__atomic_store_n(&span_hi[free], hi, __ATOMIC_RELEASE);
		return;
	}
	if (lo < span_lo[best])
		__atomic_store_n(&span_lo[best], lo, __ATOMIC_RELEASE);
	if (hi > span_hi[best])
		__atomic_store_n(&span_hi[best], hi, __ATOMIC_RELEASE);
}

static int span_has(uintptr_t a)
{
	unsigned int i;

	for (i = 0; i < NX_SPANS; i++) {
		uintptr_t hi = __atomic_load_n(&span_hi[i], __ATOMIC_ACQUIRE);

		if (hi && a < hi && a >= __atomic_load_n(&span_lo[i], __ATOMIC_ACQUIRE))
			return 1;
	}
	return 0;
}

static void chain(int sig, siginfo_t *si, void *ctx)
{
	if (old_segv.sa_flags & SA_SIGINFO) {
		old_segv.sa_sigaction(sig, si, ctx);
	} else if (old_segv.sa_handler == SIG_DFL ||
		   old_segv.sa_handler == SIG_IGN) {
		/* the fault comes back at once and does what it always did */
		sigaction(SIGSEGV, &old_segv, NULL);
	} else {
		old_segv.sa_handler(sig);
	}
}

static void segv_handler(int sig, siginfo_t *si, void *ctx)
{
	uintptr_t a = (uintptr_t)si->si_addr;
	int saved = errno;
	unsigned int g;

	if (!is_writer && span_has(a)) {
		g = __atomic_load_n(&gen, __ATOMIC_SEQ_CST);
		if (g & 1) {
			/* a window is open: wait for its close, run again */
			__atomic_add_fetch(&waiters, 1, __ATOMIC_SEQ_CST);
			while (__atomic_load_n(&gen, __ATOMIC_SEQ_CST) == g)
				syscall(SYS_futex, &gen, FUTEX_WAIT_PRIVATE, g,
					NULL, NULL, 0);
			__atomic_sub_fetch(&waiters, 1, __ATOMIC_SEQ_CST);
			errno = saved;
			return;
		}
		/* closed since the fault (a late signal): run again, once */
		if (last_addr != a || last_gen != g) {
			last_addr = a;
			last_gen = g;
			errno = saved;
			return;
		}
	}
	/* not ours: as if we had never been installed */
	errno = saved;
	chain(sig, si, ctx);
}

/* Our handler first in line (again, if the program installed its own
 * since: it becomes the one we hand other faults to). */
static int handler_installed(void)
{
	struct sigaction sa, cur;

	if (sigaction(SIGSEGV, NULL, &cur))
		return -errno;
	if ((cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == segv_handler)
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = segv_handler;
	sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, &old_segv))
		return -errno;
	return 0;
}

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
	if ((usable_err = handler_installed()))
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
	return 0;
}

/*
 * The piece of @lo's segment that [lo, hi) may join (their union holds
 * none of the runtime's pages), or NULL: a piece of its own.
 */
static struct piece *piece_of(uintptr_t lo, uintptr_t hi,
			      uintptr_t *slo, uintptr_t *shi)
{
	const struct seg *s = seg_of(lo);
	size_t i;

	*slo = s ? s->lo : lo;
	*shi = s ? s->hi : hi;
	for (i = 0; i < npieces; i++) {
		uintptr_t ul = lo < pieces[i].lo ? lo : pieces[i].lo;
		uintptr_t uh = hi > pieces[i].hi ? hi : pieces[i].hi;

		if (pieces[i].lo < *shi && *slo < pieces[i].hi &&
		    !(ul < own_hi && own_lo < uh))
			return &pieces[i];
	}
	return NULL;
}

static int protect(uintptr_t lo, uintptr_t hi, int prot)
{
	if (lo >= hi)
		return 0;
	span_add(lo, hi);
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
		is_writer = 1;
		__atomic_add_fetch(&gen, 1, __ATOMIC_SEQ_CST);
	}
	for (i = committed; i < nwins; i++) {
		uintptr_t lo = wins[i].lo, hi = wins[i].hi, slo, shi;
		struct piece *p = piece_of(lo, hi, &slo, &shi);

		/* within the segment (a window may reach a page past it) */
		lo = lo < slo ? slo : lo;
		hi = hi > shi ? shi : hi;
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
		if (err)
			/* no text is changed by it: the store faults, loudly */
			sc_text_log("staticcall: cannot make text %p+%lx writable, errno %d",
				    (void *)lo, (unsigned long)(hi - lo), -err);
	}
	committed = nwins;
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
		__atomic_add_fetch(&gen, 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&waiters, __ATOMIC_SEQ_CST))
			syscall(SYS_futex, &gen, FUTEX_WAKE_PRIVATE, INT32_MAX,
				NULL, NULL, 0);
		is_writer = 0;
		pthread_sigmask(SIG_SETMASK, &saved_mask, NULL);
	}
	npieces = 0;
	nwins = 0;
	committed = 0;
	return 1;
}

void sc_nx_unlocked(void)
{
	segs_checked = 0;
	probed = 0;
}

/* Called once, before the first window (text.c). */
void sc_nx_init(void)
{
	own_code[0] = (uintptr_t)mprotect;
	own_code[1] = (uintptr_t)syscall;
	own_code[2] = (uintptr_t)pthread_sigmask;
	if (__start_staticcall_text && __stop_staticcall_text) {
		own_lo = (uintptr_t)__start_staticcall_text & ~(sc_text_page - 1);
		own_hi = ((uintptr_t)__stop_staticcall_text + sc_text_page - 1) &
			 ~(sc_text_page - 1);
	} else {
		own_code[3] = (uintptr_t)sc_nx_commit;
		own_code[4] = (uintptr_t)segv_handler;
	}
}
