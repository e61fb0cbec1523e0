/*
 * staticcall/host.h - the hosted Linux platform (runtime/linux/), linked
 * into programs through libstaticcall; a kernel or boot code that links
 * libstaticcall-core.a has none of these and brings its own platform
 * (staticcall/platform.h).
 */
#ifndef STATICCALL_HOST_H
#define STATICCALL_HOST_H

/*
 * Install the Linux platform and the stderr log, register membarrier
 * SYNC_CORE.  Idempotent; called by every object's registration
 * constructor (staticcall-object.o).
 */
void staticcall_linux_init(void);
/* The main program's destructors run: exit() has begun (staticcall-object.o). */
void staticcall_linux_exit_begins(void);
int staticcall_linux_exiting(void);
/* "membarrier-sync-core", "membarrier-expedited" or "none". */
const char *staticcall_linux_sync_method(void);
/* Rounds of core synchronisation so far (benchmark, tests). */
unsigned long staticcall_linux_sync_rounds(void);

#endif /* STATICCALL_HOST_H */
