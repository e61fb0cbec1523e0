/*
 * runtime/internal.h - entry points the core (runtime/core.c) gives the
 * other runtime files and nobody else.  Not installed.
 */
#ifndef STATICCALL_RUNTIME_INTERNAL_H
#define STATICCALL_RUNTIME_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* Write @len bytes at @dst (code no thread runs yet) and publish them. */
int sc_core_text_write(uintptr_t dst, const void *src, size_t len);
/* One round of core synchronisation through the platform. */
void sc_core_sync(void);

#endif /* STATICCALL_RUNTIME_INTERNAL_H */
