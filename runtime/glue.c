/*
 * runtime/glue.c - the core's side of the platform contract
 * (staticcall/platform.h): the hooks set once, the updater lock, text
 * windows widened to pages, core synchronisation.  Every hook may be
 * NULL.  Taking the lock prepares the platform (once) and takes in the
 * objects registered since it was last held.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/*
 * A hosted build links its platform in (runtime/linux/platform.c): the
 * core starts with it, nothing is written at start-up.  A kernel has none
 * (this weak reference is then 0) and calls staticcall_set_platform().
 */
extern struct staticcall_platform sc_platform_builtin
	__attribute__((weak, visibility("hidden")));
const struct staticcall_platform *sc_plat = &sc_platform_builtin;
static int spin;
/*
 * The platform's text_torn answer for the sites of one page (those whose
 * 16 bytes stay in it), kept while the lock is held (sites come in
 * address order: one call per page, not per site; internal.h reads it).
 */
uintptr_t sc_torn_lo, sc_torn_len;
int sc_torn_answer;

void staticcall_set_platform(const struct staticcall_platform *platform)
{
	sc_plat = platform;
}

/*
 * The platform's one-time setup, before its lock is first taken (not at
 * start-up: registration before the first touch takes no lock).
 */
static void prepare(void)
{
	static int done;

	if (__atomic_load_n(&done, __ATOMIC_ACQUIRE) || !sc_plat)
		return;
	if (sc_plat->prepare)
		sc_plat->prepare();
	__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
}

const struct staticcall_platform *staticcall_get_platform(void)
{
	prepare();
	return sc_plat;
}

/* The platform's lock, or a spinlock of the core's own (early boot). */
void sc_lock(void)
{
	prepare();
	if (sc_plat && sc_plat->lock) {
		sc_plat->lock();
		sc_objects_drain();
		return;
	}
	while (__atomic_exchange_n(&spin, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&spin, __ATOMIC_RELAXED))
			;
	sc_objects_drain();
}

void sc_unlock(void)
{
	sc_torn_len = 0;
	if (sc_plat && sc_plat->unlock) {
		sc_plat->unlock();
		return;
	}
	__atomic_store_n(&spin, 0, __ATOMIC_RELEASE);
}

uintptr_t sc_page_size(void)
{
	return sc_plat && sc_plat->page_size ? sc_plat->page_size : 4096;
}

void sc_sync_cores(void)
{
	if (sc_plat && sc_plat->sync_cores)
		sc_plat->sync_cores();
}

int sc_text_open(uintptr_t start, size_t len)
{
	uintptr_t ps = sc_page_size();
	uintptr_t lo = start & ~(ps - 1);
	uintptr_t hi = (start + len + ps - 1) & ~(ps - 1);

	if (!sc_plat || !sc_plat->text_open)
		return 0;
	return sc_plat->text_open(lo, hi - lo);
}

void *sc_text_rw(uintptr_t a)
{
	return sc_plat && sc_plat->text_alias ? sc_plat->text_alias(a) : (void *)a;
}

int sc_text_parked(uintptr_t a)
{
	return sc_plat && sc_plat->text_parked && sc_plat->text_parked(a);
}

/* sc_site_needs_trap() past the store unit and the kept page */
int sc_site_torn(uintptr_t a)
{
	uintptr_t ps, p;

	if (!sc_plat || !sc_plat->text_torn)
		return 0;
	ps = sc_plat->page_size ? sc_plat->page_size : 4096;
	p = a & ~(ps - 1);
	if (((a + 15) & ~(ps - 1)) != p)
		return sc_plat->text_torn(a);	/* the window reaches the next page */
	sc_torn_answer = sc_plat->text_torn(a);
	sc_torn_lo = p;
	sc_torn_len = ps - 15;
	return sc_torn_answer;
}

int sc_text_close(uintptr_t start, size_t len)
{
	uintptr_t ps = sc_page_size();
	uintptr_t lo = start & ~(ps - 1);
	uintptr_t hi = (start + len + ps - 1) & ~(ps - 1);
	int err = 0;

	if (sc_plat && sc_plat->text_close)
		err = sc_plat->text_close(lo, hi - lo);
	sc_arch_publish(start, len);
	return err;
}

/*
 * For runtime/alt.c (callback patching): write @len bytes at @dst, a
 * region no thread runs yet, through a text window, and publish them;
 * sc_core_sync() then synchronises every core once.
 */
int sc_core_text_write(uintptr_t dst, const void *src, size_t len)
{
	const unsigned char *s = src;
	size_t i;
	int err;

	sc_lock();
	err = sc_text_open(dst, len);
	if (!err) {
		for (i = 0; i < len; i++)
			*(volatile unsigned char *)sc_text_rw(dst + i) = s[i];
		err = sc_text_close(dst, len);
	}
	sc_unlock();
	return err;
}

void sc_core_sync(void)
{
	sc_lock();
	sc_sync_cores();
	sc_unlock();
}
