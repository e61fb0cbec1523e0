/*
 * runtime/linux/writer.h - between the hosted platform (platform.c) and
 * its text writers (writer.c).  Not installed.
 */
#ifndef STATICCALL_LINUX_WRITER_H
#define STATICCALL_LINUX_WRITER_H

#include <stddef.h>
#include <stdint.h>

/* platform.c: the RWX window (the last fallback) */
int sc_linux_mprotect_open(uintptr_t start, size_t len);
void sc_linux_mprotect_close(uintptr_t start, size_t len);
void sc_linux_lock(void);
void sc_linux_unlock(void);

/* writer.c: the platform hooks text_open/close/alias/forget */
void sc_linux_writer_init(size_t page_size);
int sc_linux_text_open(uintptr_t start, size_t len);
void sc_linux_text_close(uintptr_t start, size_t len);
void *sc_linux_text_alias(uintptr_t addr);
void sc_linux_text_forget(uintptr_t lo, uintptr_t hi);
/* the updater lock is released: what writer.c read of the mappings is old */
void sc_linux_writer_unlocked(void);
/* platform.c mapped [lo, hi) private, anonymous, r-x (a veneer area) */
void sc_linux_writer_mapped(uintptr_t lo, uintptr_t hi);
/* before each round of core synchronisation: written bytes reach the text */
void sc_linux_writer_flush(void);

#endif /* STATICCALL_LINUX_WRITER_H */
