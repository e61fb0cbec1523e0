/*
 * staticcall/log.h - the runtime's one-line messages (runtime/log.c).
 *
 * The core says why it refused a site or a table through this, in a
 * kernel as well as in a program: a tiny printf subset (%s %d %u %x %lx
 * %lu %ld %p %%, optional 0-padding width), no libc, handed to the hook
 * set by staticcall_set_log() (staticcall.h).  Freestanding.
 */
#ifndef STATICCALL_LOG_H
#define STATICCALL_LOG_H

/* Log one line through the hook set by staticcall_set_log(). */
void staticcall_log(const char *fmt, ...);

#endif /* STATICCALL_LOG_H */
