/*
 * runtime/linux/text-park.c - for the nx writer (text-nx.c): the SIGSEGV
 * handler that parks a thread fetching an instruction from a page the
 * writer made non-executable, until the page is executable again; the
 * int3 protocol of Linux's text_poke_bp with the page table as the
 * breakpoint.  Async-signal-safe, no lock; the writer side runs with the
 * updater lock held.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <linux/futex.h>
#include <unistd.h>

#include "staticcall/spans.h"
#include "staticcall/writer.h"
#include "text.h"
#include "hostcpu.h"

/*
 * gen is odd while pages are non-executable; waiters counts the threads
 * parked on it.  spans holds every page this writer ever made
 * non-executable (written before the page is, only widened).
 */
static unsigned int gen, waiters;
static struct sc_spans spans;
/* the thread holding the windows, and each thread's last unexplained fault */
static __thread int is_writer __attribute__((tls_model("initial-exec")));
static __thread uintptr_t last_addr __attribute__((tls_model("initial-exec")));
static __thread unsigned int last_gen __attribute__((tls_model("initial-exec")));
static struct sigaction old_segv;

static unsigned long parks;	/* threads parked, ever */

/* For debuggers: a debugger that stops on SIGSEGV passes a park on
 * (staticcall/writer.h, tools/staticcall-gdb.py). */
const struct staticcall_park_debug staticcall_park_debug = {
	1, SC_SPANS, &gen, spans.lo, spans.hi, &parks
};

void sc_park_span_add(uintptr_t lo, uintptr_t hi)
{
	sc_spans_add(&spans, lo, hi);
}

static int span_has(uintptr_t a)
{
	return sc_spans_has(&spans, a);
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
	uintptr_t a = (uintptr_t)si->si_addr, pc, sp;
	int saved = errno;
	unsigned int g;

	/* a fetch fault names the address fetched; qemu-user's powerpc64
	   leaves si_addr 0: the pc is that address then */
	sc_host_regs(ctx, &pc, &sp);
	if (!span_has(a) && span_has(pc))
		a = pc;
	if (!is_writer && span_has(a)) {
		g = __atomic_load_n(&gen, __ATOMIC_SEQ_CST);
		if (g & 1) {
			/* a window is open: wait for its close, run again */
			__atomic_add_fetch(&parks, 1, __ATOMIC_RELAXED);
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
int sc_park_installed(void)
{
	struct sigaction sa, cur;

	if (sigaction(SIGSEGV, NULL, &cur))
		return -errno;
	if ((cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == segv_handler)
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = segv_handler;
	sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_ONSTACK;
	/*
	 * Nothing else runs on a parked thread: another handler's code may
	 * be in a page that is not executable, and a fault there while
	 * SIGSEGV is blocked (as it is in this handler) kills the process.
	 */
	sigfillset(&sa.sa_mask);
	sigdelset(&sa.sa_mask, SIGBUS);
	sigdelset(&sa.sa_mask, SIGILL);
	sigdelset(&sa.sa_mask, SIGFPE);
	sigdelset(&sa.sa_mask, SIGTRAP);
	if (sigaction(SIGSEGV, &sa, &old_segv))
		return -errno;
	return 0;
}


/* The first page of a window is about to lose execute permission. */
void sc_park_begin(void)
{
	is_writer = 1;
	__atomic_add_fetch(&gen, 1, __ATOMIC_SEQ_CST);
}

/* Every page is executable again: wake the parked threads. */
void sc_park_end(void)
{
	__atomic_add_fetch(&gen, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&waiters, __ATOMIC_SEQ_CST))
		syscall(SYS_futex, &gen, FUTEX_WAKE_PRIVATE, INT32_MAX,
			NULL, NULL, 0);
	is_writer = 0;
}
