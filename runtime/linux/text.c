/*
 * runtime/linux/text.c - which text writer writes a window, and the
 * platform hooks text_open, text_close, text_alias, text_forget,
 * text_torn and text_parked built on them (text.h lists the writers;
 * doc/runtime.md, "Text writers", compares them with figures).
 *
 * Default: nx.  Where the OS refuses to make text executable again (MDWE,
 * a W^X seccomp filter) the process switches to procmem for good, and a
 * window in a segment holding the runtime's own code (a static link)
 * goes through procmem: each said once in the log.  When procmem is
 * refused too the update fails (-EPERM): text is never made writable and
 * executable unless the program asks for the mprotect writer.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "staticcall/platform.h"
#include "staticcall/host.h"
#include "staticcall/log.h"
#include "staticcall/writer.h"
#include "text.h"

/*
 * valgrind translates code once and runs its translation until told the
 * code changed: the client request below (a few instructions that do
 * nothing outside valgrind) after each write.  Without the header (a
 * cross build) it is left out and valgrind needs --smc-check=all.
 */
#if defined(__has_include)
# if __has_include(<valgrind/valgrind.h>)
#  include <valgrind/valgrind.h>
#  define DISCARD(a, n)	VALGRIND_DISCARD_TRANSLATIONS((a), (n))
# endif
#endif
#ifndef DISCARD
# define DISCARD(a, n)	((void)(a), (void)(n))
#endif

enum writer { W_NX, W_PROCMEM, W_MPROTECT };
static const char *const writer_names[] = { "nx", "procmem", "mprotect" };
static enum writer writer = W_NX;
uintptr_t sc_text_page;

/* ---- messages, said once the text is executable again ---- */

#define LOG_LINES	8
static char log_lines[LOG_LINES][256];
static unsigned int log_n, log_lost;

void sc_text_log(const char *fmt, ...)
{
	va_list ap;

	if (log_n == LOG_LINES) {
		log_lost++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(log_lines[log_n++], sizeof(log_lines[0]), fmt, ap);
	va_end(ap);
}

static void log_flush(void)
{
	unsigned int i;

	for (i = 0; i < log_n; i++)
		staticcall_log("%s", log_lines[i]);
	if (log_lost)
		staticcall_log("staticcall: %u more text writer messages", log_lost);
	log_n = log_lost = 0;
}

static int nx_refused_logged, own_logged, procmem_refused_logged;

/* ---- the hooks ---- */

static int refused(int err)
{
	return err == -EACCES || err == -EPERM || err == -EIO ||
	       err == -EFAULT || err == -ENOENT || err == -ENOSYS;
}

int sc_text_open_hook(uintptr_t start, size_t len)
{
	int err;

	if (writer == W_MPROTECT)
		return sc_rwx_open(start, len);
	if (writer == W_NX) {
		err = sc_nx_usable();
		if (err) {
			if (!nx_refused_logged++)
				sc_text_log("staticcall: text writer: the OS refuses to make written text executable again (MDWE or a W^X filter, errno %d); using /proc/self/mem",
					    -err);
			writer = W_PROCMEM;
		} else if (!sc_nx_own(start, len)) {
			return sc_nx_open(start, len);
		} else if (!own_logged++) {
			sc_text_log("staticcall: text writer: text %p shares an executable segment with the runtime's own code (a static link): written through /proc/self/mem",
				    (void *)start);
		}
	}
	err = sc_procmem_open(start, len);
	if (refused(err)) {
		if (!procmem_refused_logged++)
			sc_text_log("staticcall: text writer: /proc/self/mem refuses writes to text (errno %d) and text is never made writable and executable: update refused (STATICCALL_WRITER=mprotect allows it)",
				    -err);
		return -EPERM;
	}
	return err;
}

/* 0, or the procmem write refused (put back: text-procmem.c) */
int sc_text_close_hook(uintptr_t start, size_t len)
{
	int r = sc_procmem_close(start, len);

	if (!r && !sc_nx_close(start, len) && writer == W_MPROTECT)
		sc_rwx_close(start, len);
	DISCARD(start, len);
	return r < 0 ? r : 0;
}

/* Once per page written: the usual case (nx, windows writable) tests two
 * words.  The windows are made writable first: one that cannot be goes
 * through a procmem shadow from then on, this store included. */
void *sc_text_alias_hook(uintptr_t addr)
{
	void *p;

	if (sc_nx_pending)
		sc_nx_commit();
	p = sc_procmem_shadows ? sc_procmem_alias(addr) : NULL;
	return p ? p : (void *)addr;
}

void sc_text_forget_hook(uintptr_t lo, uintptr_t hi)
{
	/* the segment list follows dl_iterate_phdr; the pages known private
	   may come back from a file */
	sc_private_forget(lo, hi);
}

/*
 * 1 when a store at @addr would reach the text through the kernel's copy
 * (procmem), which promises no single aligned store on x86-64: the core
 * then writes the site with the trap protocol (text-procmem.c).
 */
int sc_text_torn_hook(uintptr_t addr)
{
	if (writer == W_MPROTECT)
		return 0;
	if (writer == W_NX && !sc_nx_usable() && !sc_nx_own(addr, 16))
		return 0;
	return 1;
}

/*
 * 1 when the page of @addr is written by nx and parks other threads
 * (text-nx.c): asked before the windows open, the promise (nx usable, not
 * the runtime's own segment); after text_alias, also the fact (the window
 * did not fall back to a procmem shadow).
 */
int sc_text_parked_hook(uintptr_t addr)
{
	return writer == W_NX && !sc_nx_usable() && !sc_nx_own(addr, 16) &&
	       !(sc_procmem_shadows && sc_procmem_alias(addr));
}

/* Before each round of core synchronisation (the trap protocol has one
 * per phase): what the stores changed reaches the text.  valgrind is
 * told at the close: until then it runs the old instruction, whole. */
void sc_text_flush(void)
{
	sc_procmem_flush();
}

void sc_text_unlocked(void)
{
	sc_nx_unlocked();
	if (log_n || log_lost)
		log_flush();
}

/*
 * fork: never inside an update (the lock is held across fork); no window
 * is open then.  The child's /proc/self/mem descriptor is the parent's.
 */
static void atfork_prepare(void)
{
	sc_linux_lock();
}

static void atfork_parent(void)
{
	sc_private_fork_parent();
	sc_linux_unlock();
}

static void atfork_child(void)
{
	sc_procmem_forked();
	sc_private_forked();
	sc_linux_unlock();
}

/* The writer called @name (older names: what replaced them), or -1. */
static int writer_by_name(const char *name)
{
	unsigned int i;

	if (!strcmp(name, "alias"))
		return W_NX;
	if (!strcmp(name, "procmem-page"))
		return W_PROCMEM;
	for (i = 0; i < sizeof(writer_names) / sizeof(writer_names[0]); i++)
		if (!strcmp(name, writer_names[i]))
			return (int)i;
	return -1;
}

void sc_text_init(size_t page_size)
{
	const char *env = getenv("STATICCALL_WRITER");

	sc_text_page = page_size;
	sc_nx_init();
	if (env && *env) {
		int w = writer_by_name(env);

		if (w < 0)
			staticcall_log("staticcall: STATICCALL_WRITER=%s is not nx, procmem or mprotect: using nx",
				       env);
		else
			writer = (enum writer)w;
	}
	pthread_atfork(atfork_prepare, atfork_parent, atfork_child);
}

int staticcall_host_writer_set(const char *name)
{
	int w = writer_by_name(name);

	if (w < 0)
		return -EINVAL;
	staticcall_host_init();
	sc_linux_lock();
	writer = (enum writer)w;
	sc_linux_unlock();
	return 0;
}

const char *staticcall_host_writer(void)
{
	staticcall_host_init();
	return writer_names[writer];
}
