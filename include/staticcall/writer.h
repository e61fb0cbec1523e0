/*
 * staticcall/writer.h - hosted Linux only: which text writer the runtime
 * uses (doc/runtime.md, "Text writers").
 *
 *   "alias"         (default) the executing text stays r-x; the runtime
 *                   stores through a second, read-write view of the same
 *                   memory (a memfd), mapped only while an update runs.
 *   "procmem"       stores go to a shadow copy, then to the text with one
 *                   pwrite to /proc/self/mem per changed instruction word.
 *   "procmem-page"  the same, one pwrite per changed page.
 *   "mprotect"      the pages are PROT_READ|PROT_WRITE|PROT_EXEC while the
 *                   update writes (refused under MDWE and W^X policies).
 *   "mprotect-span" the benchmark's floor, not for programs: the whole
 *                   mapping holding the sites RWX once per update.
 *
 * The environment variable STATICCALL_WRITER picks one at start-up.  When
 * the OS refuses the chosen writer the runtime falls back (alias, then
 * procmem, then mprotect) and says so once in the log.  Text already
 * written through an alias is always written through it.
 */
#ifndef STATICCALL_WRITER_H
#define STATICCALL_WRITER_H

#include <staticcall/host.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 0, or -EINVAL for an unknown name.  Takes the updater lock. */
int staticcall_linux_writer_set(const char *name);
/* The writer in use now (after any fallback). */
const char *staticcall_linux_writer(void);

#ifdef __cplusplus
}
#endif

#endif /* STATICCALL_WRITER_H */
