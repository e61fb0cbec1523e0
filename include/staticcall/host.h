/*
 * staticcall/host.h - the hosted Linux platform (runtime/linux/), linked
 * into programs through libstaticcall; a kernel or boot code that links
 * libstaticcall-core.a has none of these and brings its own platform
 * (staticcall/platform.h).
 */
#ifndef STATICCALL_HOST_H
#define STATICCALL_HOST_H

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Install the Linux platform and the stderr log, register membarrier
 * SYNC_CORE.  Idempotent; called by every object's registration
 * constructor (staticcall-object.o).
 */
void staticcall_host_init(void);
/* The main program's destructors run: exit() has begun (staticcall-object.o). */
void staticcall_host_exit_begins(void);
int staticcall_host_exiting(void);
/* "membarrier-sync-core", "membarrier-expedited" or "none". */
const char *staticcall_host_sync_method(void);
/* Rounds of core synchronisation so far (benchmark, tests). */
unsigned long staticcall_host_sync_rounds(void);

/*
 * The names of 0.2, when staticcall_linux_* meant both this platform
 * and the Linux static_call API (staticcall/linux.h): deprecated
 * aliases, kept for programs and staticcall-object.o files built then.
 */
#define STATICCALL_HOST_RENAMED(n)	\
	__attribute__((deprecated("renamed staticcall_host_" #n)))
void staticcall_linux_init(void) STATICCALL_HOST_RENAMED(init);
void staticcall_linux_exit_begins(void) STATICCALL_HOST_RENAMED(exit_begins);
int staticcall_linux_exiting(void) STATICCALL_HOST_RENAMED(exiting);
const char *staticcall_linux_sync_method(void) STATICCALL_HOST_RENAMED(sync_method);
unsigned long staticcall_linux_sync_rounds(void) STATICCALL_HOST_RENAMED(sync_rounds);

#ifdef __cplusplus
}
#endif

#endif /* STATICCALL_HOST_H */
