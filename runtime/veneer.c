/*
 * runtime/veneer.c - veneers: the out-of-range trampolines through which
 * a site reaches a target its direct branch cannot (or, on powerpc64,
 * must not: doc/arch-powerpc64.md, "r2 and the TOC").
 *
 * Each object gets one veneer area, mapped by the platform within branch
 * reach of all its sites the first time a key needs one: slots of
 * sc_arch.veneer_size bytes (the target word is the last 8 bytes of each),
 * then one owner word per slot (the key record whose sites use it).  A
 * key has at most one veneer per object; a live veneer is retargeted with
 * one atomic store of its target word, so a thread sees the old target or
 * the new one.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

#define VENEER_AREA_MIN	4096
#define VENEER_SLOTS(o)	((o)->veneers_size / (VENEER_SLOT + 8))
#define VENEER_MAX	64	/* largest veneer_size the core supports */

size_t sc_veneer_area_size(size_t nkeys)
{
	uintptr_t ps = sc_page_size();
	size_t size = (nkeys * (VENEER_SLOT + 8) + ps - 1) & ~(ps - 1);

	return size < VENEER_AREA_MIN ? VENEER_AREA_MIN : size;
}

static uintptr_t *veneer_owner(const struct staticcall_object *o, unsigned int i)
{
	return (uintptr_t *)(o->veneers + VENEER_SLOTS(o) * VENEER_SLOT + 8 * i);
}

uintptr_t sc_veneer_find(const struct staticcall_object *o, const key_rec *k)
{
	unsigned int i;

	if (!o->veneers)
		return 0;
	for (i = 0; i < VENEER_SLOTS(o); i++)
		if (*veneer_owner(o, i) == (uintptr_t)k)
			return o->veneers + VENEER_SLOT * i;
	return 0;
}

int sc_veneer_set(struct staticcall_object *o, const key_rec *k, uintptr_t fn)
{
	unsigned char code[VENEER_MAX];
	uintptr_t v;
	unsigned int i;
	int err, close_err;

	/* the veneer branches indirectly: where landing pads are enforced,
	   a target without one would fault at its first call */
	if (fn && sc_plat && sc_plat->text_guarded &&
	    sc_plat->text_guarded(fn) && !sc_arch_landing_pad(fn)) {
		staticcall_log("staticcall: key %s: target %p is out of direct reach and has no landing pad (bti c, endbr64) for a veneer's indirect branch",
			       staticcall_key_name(k), (void *)fn);
		return -EPERM;
	}
	if (!o->veneers) {
		if (!sc_plat || !sc_plat->veneer_map)
			return -ERANGE;
		err = sc_plat->veneer_map(o->text_lo, o->text_hi, sc_arch.reach,
					  o->veneers_size, &o->veneers);
		if (err) {
			o->veneers = 0;
			return err;
		}
	}
	v = sc_veneer_find(o, k);
	/* already there: no window opened over the veneers */
	if (v && sc_veneer_word(v) == fn)
		return 0;
	err = sc_text_open(o->veneers, o->veneers_size);
	if (err)
		return err;
	if (v) {
		__atomic_store_n((uintptr_t *)sc_text_rw(v + VENEER_SLOT - 8), fn,
				 __ATOMIC_RELEASE);
	} else {
		for (i = 0; i < VENEER_SLOTS(o); i++)
			if (!*veneer_owner(o, i))
				break;
		if (i == VENEER_SLOTS(o)) {
			sc_text_close(o->veneers, o->veneers_size);
			return -ERANGE;
		}
		v = o->veneers + VENEER_SLOT * i;
		err = sc_arch_veneer_build(code, v, fn);
		if (!err) {
			unsigned int j;

			for (j = 0; j < VENEER_SLOT; j++)
				*(unsigned char *)sc_text_rw(v + j) = code[j];
			*(uintptr_t *)sc_text_rw((uintptr_t)veneer_owner(o, i)) =
				(uintptr_t)k;
		}
	}
	/* a refused write is put back by the platform: as before */
	close_err = sc_text_close(o->veneers, o->veneers_size);
	return err ? err : close_err;
}

void sc_veneer_unmap(struct staticcall_object *o)
{
	if (o->veneers && sc_plat && sc_plat->veneer_unmap)
		sc_plat->veneer_unmap(o->veneers, o->veneers_size);
	o->veneers = 0;
}
