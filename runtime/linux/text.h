/*
 * runtime/linux/text.h - between the hosted platform (platform.c), the
 * text writers' dispatch (text.c) and the writers, one file per
 * mechanism (doc/runtime.md, "Text writers").  Not installed.
 *
 *   text-nx.c       the default: the pages holding the sites are read-write
 *                   and not executable while the core stores (never both);
 *                   a thread fetching there waits in a SIGSEGV handler
 *                   (text-park.c) until they are executable again; the
 *                   pages it may do that to: text-own.c; the pages it
 *                   writes made private first: text-private.c.
 *   text-procmem.c  stores go to a shadow copy, then to the text with
 *                   pwrite to /proc/self/mem, one changed word at a time.
 *   text-rwx.c      the pages PROT_READ|PROT_WRITE|PROT_EXEC while the core
 *                   stores: only when chosen (qemu-user, early tests).
 *
 * Every function here runs with the updater lock held unless said
 * otherwise.
 */
#ifndef STATICCALL_LINUX_TEXT_H
#define STATICCALL_LINUX_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* platform.c: the updater lock; one round of core synchronisation (no
 * flush: for a writer putting text back) */
void sc_linux_lock(void);
void sc_linux_unlock(void);
void sc_linux_sync_round(void);

/* text.c: the platform hooks and the writer choice */
void sc_text_init(size_t page_size);
int sc_text_open_hook(uintptr_t start, size_t len);
int sc_text_close_hook(uintptr_t start, size_t len);
void *sc_text_alias_hook(uintptr_t addr);
void sc_text_forget_hook(uintptr_t lo, uintptr_t hi);
int sc_text_torn_hook(uintptr_t addr);
int sc_text_parked_hook(uintptr_t addr);
/* before each round of core synchronisation: written bytes reach the text */
void sc_text_flush(void);
/* the updater lock is about to be released */
void sc_text_unlocked(void);
/* A message for the log once no text is non-executable (text.c): a log
 * hook may be code in a page the nx writer holds. */
void sc_text_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern uintptr_t sc_text_page;	/* page size */

/* text-nx.c */
/* 0: usable now; <0: the OS refuses to make text executable again after a
 * write (MDWE, a W^X filter: errno), permanently. */
void sc_nx_init(void);
int sc_nx_usable(void);
/* 1 when [start, start + len) shares an executable segment with code the
 * nx writer runs while text is not executable (the runtime's, libc's). */
int sc_nx_own(uintptr_t start, size_t len);
int sc_nx_open(uintptr_t start, size_t len);
/* 1 when an nx window starts at @start (and it was closed) */
int sc_nx_close(uintptr_t start, size_t len);
/* before a store into an open window: the pages are writable */
void sc_nx_commit(void);
extern int sc_nx_pending;	/* 1: sc_nx_commit() has work */
void sc_nx_unlocked(void);

/* text-own.c: which pages nx may make non-executable */
void sc_own_init(void);
void sc_own_unlocked(void);
/* [*lo, *hi): the executable segment holding @a (unchanged when none) */
void sc_own_segment(uintptr_t a, uintptr_t *lo, uintptr_t *hi);
/* 1 when [lo, hi) holds a page of the runtime's own code (a static link) */
int sc_own_crosses(uintptr_t lo, uintptr_t hi);

/* text-private.c: the pages of a window private before the stores:
 * dropped before the window is made writable, copied after */
void sc_private_drop(uintptr_t lo, uintptr_t hi);
void sc_private_fill(uintptr_t lo, uintptr_t hi);
void sc_private_forget(uintptr_t lo, uintptr_t hi);
void sc_private_forked(void);
void sc_private_fork_parent(void);

/* text-park.c: the SIGSEGV handler that parks threads */
int sc_park_installed(void);
void sc_park_span_add(uintptr_t lo, uintptr_t hi);
void sc_park_begin(void);
void sc_park_end(void);

/* text-procmem.c */
int sc_procmem_open(uintptr_t start, size_t len);
/* 0: no shadow starts at @start; 1: closed; a negative errno: closed,
 * and the write of the shadows open with it was refused, put back */
int sc_procmem_close(uintptr_t start, size_t len);
/* the shadow byte of @addr, or NULL */
void *sc_procmem_alias(uintptr_t addr);
extern size_t sc_procmem_shadows;	/* how many are open */
/* the testsuite's stand-in for a refused pwrite (hidden) */
extern int (*sc_procmem_fault)(uintptr_t addr);
void sc_procmem_flush(void);
void sc_procmem_forked(void);

/* text-rwx.c */
int sc_rwx_open(uintptr_t start, size_t len);
void sc_rwx_close(uintptr_t start, size_t len);

#endif /* STATICCALL_LINUX_TEXT_H */
