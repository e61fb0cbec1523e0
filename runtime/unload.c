/*
 * runtime/unload.c - code that targets live in goes away (dlclose, module
 * unload): no site of another object may keep pointing there.  Each key
 * concerned falls back in one update (a write plan); its patches stored or
 * targeting there are dropped.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

static int in_range(uintptr_t a, uintptr_t lo, uintptr_t hi)
{
	return a >= lo && a < hi;
}

/* Does key @p still matter once [@lo, @hi) is gone (a site or its variable outside)? */
static int key_outlives(key_rec *p, uintptr_t lo, uintptr_t hi)
{
	key_rec *k;

	if ((p->flags & STATICCALL_KEY_FNPTR) && !in_range(p->ident, lo, hi))
		return 1;
	for (k = p; k; k = kr_next(k)) {
		unsigned int n, i;
		site_rec *s = kr_run(k, &n);

		for (i = 0; i < n; i++)
			if (!in_range(staticcall_site_addr(&s[i]), lo, hi))
				return 1;
	}
	return 0;
}

/*
 * Key @p loses what lies in [@lo, @hi): its patches stored or targeting
 * there are dropped, a base target there becomes the default, and the
 * sites move to what is left (one update).  Lock held.
 */
static int key_unload(key_rec *p, uintptr_t lo, uintptr_t hi)
{
	struct staticcall_patch **pp, *q, *newest = NULL, *oldest;
	uintptr_t base = kr_target(p), cur = kr_target(p), want;
	int live = key_outlives(p, lo, hi), err;

	oldest = sc_patch_oldest(NULL, p);
	if (oldest)
		base = (uintptr_t)oldest->below;
	for (pp = &sc_patches; *pp;) {
		q = *pp;
		if (sc_key_find((uintptr_t)q->key) != p) {
			pp = &q->next;
			continue;
		}
		if (in_range((uintptr_t)q, lo, hi) ||
		    in_range((uintptr_t)q->target, lo, hi)) {
			*pp = q->next;
			q->next = NULL;
			continue;
		}
		if (!newest)
			newest = q;
		pp = &q->next;
	}
	if (in_range(base, lo, hi))
		base = p->deflt;
	oldest = sc_patch_oldest(NULL, p);
	if (oldest)
		oldest->below = (void *)base;
	want = newest ? (uintptr_t)newest->target : base;
	if (want == cur)
		return 0;
	if (!live) {
		/* no site left outside: the target alone, for objects that
		   load later (the key is defined elsewhere) */
		sc_key_set_target(p, want);
		return 0;
	}
	staticcall_log("staticcall: key %s: target %p is in code being unloaded (%p..%p): now %p%s",
		       staticcall_key_name(p), (void *)cur, (void *)lo,
		       (void *)hi, (void *)want,
		       want == p->deflt ? " (its default)" : "");
	err = sc_key_retarget(p, want);
	if (err)
		staticcall_log("staticcall: key %s: cannot move its sites out of unloaded code (%d)",
			       staticcall_key_name(p), err);
	return err;
}

/*
 * [@lo, @hi) (an object's whole image) is about to be unmapped: no site of
 * another object may keep pointing there.  Every key whose current target,
 * base target (under pushed patches) or patch lies there, or whose patch
 * is stored there, falls back (logged): patches there are dropped, the
 * base goes back to the key's default.  Returns the number of keys moved,
 * or the first error (the other keys are still moved).
 */
int staticcall_unload_range(const void *lo, const void *hi)
{
	uintptr_t l = (uintptr_t)lo, h = (uintptr_t)hi;
	struct staticcall_patch **pp;
	struct staticcall_object *o;
	staticcall_log_fn fn;
	int moved = 0, err = 0;

	if (h <= l)
		return -EINVAL;
	/* a log hook that lives there goes first (logs dropped until reset) */
	fn = staticcall_set_log(NULL);
	if (fn && !in_range((uintptr_t)fn, l, h))
		staticcall_set_log(fn);
	sc_lock();
	sc_refused_forget_range(l, h);
	/* nothing touched yet: every key at its default, no patch */
	for (o = sc_touched ? sc_objects : NULL; o; o = o->next) {
		site_rec *s = o->start, *end = o->stop;

		while ((o->state & OBJ_INDEXED) && s < end) {
			key_rec *k = staticcall_site_key(s), *p = kr_primary(k);
			uintptr_t before = kr_target(p);
			int e;

			s = sc_index_next_key(s, end);
			if (!kr_is_primary(k))
				continue;	/* each key once, at its primary record */
			e = key_unload(p, l, h);
			if (e && !err)
				err = e;
			if (kr_target(p) != before)
				moved++;
		}
	}
	/* patches stored there of keys gone already (their sites were there) */
	for (pp = &sc_patches; *pp;) {
		struct staticcall_patch *q = *pp;

		if (in_range((uintptr_t)q, l, h)) {
			*pp = q->next;
			q->next = NULL;
			continue;
		}
		pp = &q->next;
	}
	sc_unlock();
	return err ? err : moved;
}
