/*
 * staticcall/writer.h - hosted Linux only: which text writer the runtime
 * uses (the manual: "Writing text"; doc/notes.texi, "Text writers").
 *
 *   "nx"        (default) while an update stores, the pages holding the
 *               sites are read-write and not executable; a thread running
 *               code there waits in the runtime's SIGSEGV handler until
 *               they are executable again.  The text stays the program's
 *               file mapping; only written pages become private.
 *   "procmem"   stores go to a shadow copy, then to the text with one
 *               pwrite to /proc/self/mem per changed instruction word
 *               (x86-64: through the trap protocol).
 *   "mprotect"  the pages are PROT_READ|PROT_WRITE|PROT_EXEC while the
 *               update writes (refused under MDWE and W^X policies).
 * "alias" and "procmem-page", older names, select "nx" and "procmem".
 *
 * The environment variable STATICCALL_WRITER picks one at start-up.
 * Where the OS refuses to make written text executable again (MDWE, W^X
 * filters) "nx" falls back to "procmem" for good and says so once in the
 * log; when that is refused too, updates fail with -EPERM.
 */
#ifndef STATICCALL_WRITER_H
#define STATICCALL_WRITER_H

#include <stdint.h>
#include <staticcall/host.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 0, or -EINVAL for an unknown name.  Takes the updater lock. */
int staticcall_host_writer_set(const char *name);
/* The writer in use now (after any fallback). */
const char *staticcall_host_writer(void);

/*
 * For debuggers (tools/staticcall-gdb.py, installed as
 * share/staticcall/staticcall-gdb.py): which SIGSEGV is a thread parked
 * by "nx".  A fault at an address in [lo[i], hi[i]) (a hi of 0: an empty
 * slot) while *gen is odd is one, and so is the same fault of the same
 * thread once more just after *gen turned even; *parks counts the
 * threads parked so far.  Read-only; version 1.
 */
struct staticcall_park_debug {
	unsigned int version, nspans;
	const unsigned int *gen;
	const uintptr_t *lo, *hi;
	const unsigned long *parks;
};
extern const struct staticcall_park_debug staticcall_park_debug;

/* The names of 0.2 (staticcall/host.h): deprecated aliases. */
int staticcall_linux_writer_set(const char *name) STATICCALL_HOST_RENAMED(writer_set);
const char *staticcall_linux_writer(void) STATICCALL_HOST_RENAMED(writer);

#ifdef __cplusplus
}
#endif

#endif /* STATICCALL_WRITER_H */
