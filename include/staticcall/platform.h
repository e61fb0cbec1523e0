/*
 * staticcall/platform.h - what the freestanding core asks of its platform.
 *
 * The core (runtime/ sources) never makes a system call.  A platform (the hosted
 * Linux layer in runtime/linux/, or a kernel) hands it these hooks once with
 * staticcall_set_platform() before the first key is touched (objects may
 * be added before: that needs no hook).  Any hook may
 * be NULL: then the core uses its own spinlock, writes text in place (text
 * already writable, as in early boot), skips core synchronisation, has no
 * veneers (far targets are -ERANGE) and refuses sites that need the
 * breakpoint protocol (-EINVAL).
 *
 * Every hook but lock/unlock and prepare is called with the updater lock
 * held.  Registration before any key is touched takes no lock and calls
 * no hook.
 */
#ifndef STATICCALL_PLATFORM_H
#define STATICCALL_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#include <staticcall/abi.h>

struct staticcall_platform {
	/* Serialise updaters (may sleep). */
	void (*lock)(void);
	void (*unlock)(void);

	/*
	 * Make the text [@start, @start + @len) (page aligned) writable in
	 * place while other threads keep executing it.  Returns 0 or a
	 * negative errno (-EPERM: the OS refuses; the hook logs the cause).
	 */
	int (*text_open)(uintptr_t start, size_t len);
	/*
	 * Undo text_open for the same range: afterwards it is not writable,
	 * whatever the result.  Returns 0, or a negative errno when bytes
	 * the core stored (through text_alias) while windows were open may
	 * not all have reached the text: a platform whose stores reach the
	 * text through the kernel (/proc/self/mem), which refused one.  The
	 * windows open at one time are one write: the platform then puts
	 * back the text of all of them as it was before that write (or says
	 * in the log what it could not), and the core counts the whole
	 * update as not done (its error, nothing committed).  A platform
	 * whose stores are the core's own returns 0.
	 */
	int (*text_close)(uintptr_t start, size_t len);

	/* Serialise every core running this program (one round). */
	void (*sync_cores)(void);

	/*
	 * Map @size bytes of executable memory (read-only to the program;
	 * written through text_open) with every byte within @reach of both
	 * @lo and @hi; *@addr receives its address.  0 or -ERANGE/-ENOMEM.
	 */
	int (*veneer_map)(uintptr_t lo, uintptr_t hi, uintptr_t reach,
			  size_t size, uintptr_t *addr);
	void (*veneer_unmap)(uintptr_t addr, size_t size);

	/*
	 * Arm the breakpoint trap handler, which calls staticcall_bp_handle().
	 * Asked only by a back end with the trap protocol (sc_arch.trap: sites
	 * one store cannot write, x86-64 sites crossing an 8-byte word).
	 */
	int (*bp_prepare)(void);

	/* Page size for text windows (0: 4096). */
	size_t page_size;

	/*
	 * Optional, added after the hooks above so older platforms keep
	 * working unchanged (NULL: today's behaviour).
	 *
	 * text_alias: the address the core stores through for the text byte
	 * at @addr, inside a range text_open() opened: a second, writable view
	 * of the same memory, so the executing mapping never has to be
	 * writable.  Valid until the text_close() of that range, for the
	 * bytes [@addr, @addr + 16) when they lie in the same range, and
	 * linear within a page: for @addr + d in the same page,
	 * text_alias(@addr + d) is text_alias(@addr) + d (the core asks once
	 * per page).  The core still reads, decodes and publishes
	 * (sc_arch_publish) at @addr.
	 * NULL: the core stores at @addr.
	 *
	 * text_forget: an object whose sites span [@lo, @hi) is being removed
	 * (its text may be unmapped next): drop any state text_open() keeps
	 * about that text.  NULL: nothing to drop.
	 */
	void *(*text_alias)(uintptr_t addr);
	void (*text_forget)(uintptr_t lo, uintptr_t hi);

	/*
	 * prepare: called once, without the updater lock, before the core
	 * first takes it (the first update, reset, push, query or status, or
	 * a registration after one): the platform sets up what only writing
	 * needs (page_size included), so that start-up, where objects are
	 * only registered, costs nothing.  It may be called by several
	 * threads at once and must return only once the setup is complete.
	 * NULL: nothing to set up.
	 */
	void (*prepare)(void);

	/*
	 * text_torn: 1 when a store the core makes at @addr (through
	 * text_alias) may reach the executing text in pieces rather than as
	 * one aligned store (a kernel copy: /proc/self/mem).  Asked before
	 * the windows open, by a back end with the trap protocol
	 * (sc_arch.trap), which then writes that site with the protocol,
	 * whose every step is safe however the bytes arrive.  NULL: stores
	 * arrive whole.
	 */
	int (*text_torn)(uintptr_t addr);

	/*
	 * text_guarded: 1 when an indirect branch to @addr must land on a
	 * landing pad (arm64: a BTI guarded page; x86-64: IBT enforced), 0
	 * when not.  The core then refuses (-EPERM, logged) a veneer to a
	 * target whose first instruction is no landing pad
	 * (sc_arch_landing_pad), since its first call would fault.  NULL:
	 * not known, nothing refused (the hosted Linux platform on x86-64,
	 * whose kernel enforces no user IBT; it answers on arm64).
	 */
	int (*text_guarded)(uintptr_t addr);

	/*
	 * text_parked: 1 when no other thread executes the page of @addr
	 * from the first store through text_alias until text_close (the
	 * page is not executable meanwhile, and a thread fetching there
	 * waits).  The core may then write the sites of such pages with
	 * any sequence of stores, undo them before the close, and check
	 * each site as it writes it instead of in a pass before the
	 * windows open.  Asked before the windows open (what a window
	 * there will be) and again after text_alias (what it is).  NULL:
	 * never; the core checks every site first and writes each with one
	 * store.
	 */
	int (*text_parked)(uintptr_t addr);
};

void staticcall_set_platform(const struct staticcall_platform *platform);

/*
 * The platform in use (NULL: none), its one-time setup (prepare) done, so
 * that a program can copy it, change a hook and set the copy: e.g. answer
 * text_guarded for code it maps PROT_BTI itself, which the hosted
 * platform does not know.
 */
const struct staticcall_platform *staticcall_get_platform(void);

/*
 * An object built with the plugin refers to a symbol that staticcall-object.o
 * (the hosted registration) defines, so that a link forgetting it fails
 * (staticcall/abi.h).  An object that registers itself
 * (staticcall_object_add_tables(), a kernel and its modules) says so at
 * file scope in one of its units:
 *     STATICCALL_REGISTERS_ITSELF;
 */
#define STATICCALL_REGISTERS_ITSELF					\
	__asm__(STATICCALL_DEFINE_SYM_ASM(STATICCALL_REGISTRATION_SYM))

/*
 * For the platform's trap handler: a breakpoint trap happened at @*pc (the
 * address after the trap byte) with stack pointer @*sp.  Returns 1 and
 * updates pc/sp when the trap belongs to a site the runtime is writing
 * (emulating it) or wrote (a late trap: pc back to the site), 0 when it is
 * not ours.  Async-signal-safe.
 */
int staticcall_bp_handle(uintptr_t *pc, uintptr_t *sp);

#endif /* STATICCALL_PLATFORM_H */
