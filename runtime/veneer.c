/*
 * runtime/veneer.c - veneers: the out-of-range trampolines through which
 * a site reaches a target its direct branch cannot (or, on powerpc64,
 * must not: doc/arch-powerpc64.md, "r2 and the TOC").
 *
 * A veneer area, mapped by the platform within branch reach of an
 * object's sites the first time one of its keys needs a veneer, holds
 * slots of sc_arch.veneer_size bytes (the target word is the last 8 bytes
 * of each), then one owner word per slot: the ident of the key whose sites
 * use it.  Objects share areas: an object whose sites are all within
 * reach of another object's area, with room there for as many slots as it
 * has keys, uses that area instead of mapping one, and a key has one
 * veneer per area, whatever the number of objects whose sites go through
 * it.  So a key whose sites in many objects (300 shared libraries loaded
 * side by side) reach a far target through veneers changes with one
 * window and one atomic store of the target word, not one per object, and
 * a thread sees the old target or the new one.  An area is unmapped with
 * the last object using it.  A veneer always enters the target the way any
 * caller may (powerpc64: its global entry), so sharing it between objects
 * needs nothing of theirs.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

#define VENEER_AREA_MIN	512	/* slots: room for other objects' keys */
#define AREA_SLOTS(size)	((size) / (VENEER_SLOT + 8))
#define VENEER_SLOTS(o)	AREA_SLOTS((o)->veneers_size)
#define VENEER_MAX	64	/* largest veneer_size the core supports */

size_t sc_veneer_area_size(size_t nkeys)
{
	uintptr_t ps = sc_page_size();

	if (nkeys < VENEER_AREA_MIN)
		nkeys = VENEER_AREA_MIN;
	return (nkeys * (VENEER_SLOT + 8) + ps - 1) & ~(ps - 1);
}

static uintptr_t *veneer_owner(const struct staticcall_object *o, unsigned int i)
{
	return (uintptr_t *)(o->veneers + VENEER_SLOTS(o) * VENEER_SLOT + 8 * i);
}

/* What a slot's owner word holds for @k: the same for every record of a
   key, in every object, and never 0 (a free slot). */
static uintptr_t veneer_owner_of(const key_rec *k)
{
	return (uintptr_t)k->ident;
}

uintptr_t sc_veneer_find(const struct staticcall_object *o, const key_rec *k)
{
	uintptr_t owner = veneer_owner_of(k);
	unsigned int i;

	if (!o->veneers)
		return 0;
	for (i = 0; i < VENEER_SLOTS(o); i++)
		if (*veneer_owner(o, i) == owner)
			return o->veneers + VENEER_SLOT * i;
	return 0;
}

static uintptr_t dist(uintptr_t a, uintptr_t b)
{
	return a > b ? a - b : b - a;
}

/* Every site of @o reaches every byte of the area of @p directly. */
static int area_in_reach(const struct staticcall_object *o,
			 const struct staticcall_object *p)
{
	uintptr_t end = p->veneers + p->veneers_size;

	return end > p->veneers &&
	       dist(end, o->text_lo) < sc_arch.reach &&
	       dist(o->text_hi, p->veneers) < sc_arch.reach;
}

/* The keys of @o (indexed): at most the slots it needs. */
static unsigned int object_keys(const struct staticcall_object *o)
{
	site_rec *s = o->start, *end = o->stop;
	unsigned int n = 0;

	while (s < end) {
		s = sc_index_next_key(s, end);
		n++;
	}
	return n;
}

/* Slots the users of @p's area may take: each as many as it has keys. */
static unsigned int area_reserved(const struct staticcall_object *p)
{
	const struct staticcall_object *q;
	unsigned int n = 0;

	for (q = sc_objects; q; q = q->next)
		if (q->veneers == p->veneers)
			n += object_keys(q);
	return n;
}

/*
 * Give @o, which has no area yet, the area of another object within reach
 * of its sites with room for @need more slots, every user's keys counted
 * (so no user ever finds the area full).  0 when there is none.
 */
static int area_share(struct staticcall_object *o, unsigned int need)
{
	const struct staticcall_object *p;
	uintptr_t full = 0;

	for (p = sc_objects; p; p = p->next) {
		if (p == o || !p->veneers || p->veneers == full ||
		    !area_in_reach(o, p))
			continue;
		if (area_reserved(p) + need > VENEER_SLOTS(p)) {
			full = p->veneers;	/* its other users: the same */
			continue;
		}
		o->veneers = p->veneers;
		o->veneers_size = p->veneers_size;
		return 1;
	}
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
	if (!o->veneers && !area_share(o, object_keys(o))) {
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
				veneer_owner_of(k);
		}
	}
	/* a refused write is put back by the platform: as before */
	close_err = sc_text_close(o->veneers, o->veneers_size);
	return err ? err : close_err;
}

/* @o, out of sc_objects, lets go of its area: unmapped with its last user. */
void sc_veneer_unmap(struct staticcall_object *o)
{
	const struct staticcall_object *p;

	for (p = sc_objects; p && o->veneers; p = p->next)
		if (p != o && p->veneers == o->veneers)
			o->veneers = 0;		/* still in use */
	if (o->veneers && sc_plat && sc_plat->veneer_unmap)
		sc_plat->veneer_unmap(o->veneers, o->veneers_size);
	o->veneers = 0;
}
