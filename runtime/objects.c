/*
 * runtime/objects.c - registered objects: add (the table checked and
 * sorted, each key's run linked into the key's chain, every site
 * validated and brought to its key's target), remove, and the lookups of
 * keys and runs the other files use.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

struct staticcall_object *sc_objects;

/* The registered object whose site table holds @rec. */
static struct staticcall_object *object_of(const void *rec)
{
	struct staticcall_object *o;

	for (o = sc_objects; o; o = o->next)
		if ((const char *)rec >= (const char *)o->start &&
		    (const char *)rec < (const char *)o->stop)
			return o;
	return NULL;
}

/* The primary record of the key @ident in @o (sorted), or NULL. */
static key_rec *object_find(const struct staticcall_object *o, uint64_t ident)
{
	const site_rec *s = o->start;
	size_t lo = 0, hi = (size_t)((const site_rec *)o->stop - s);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t id = staticcall_site_key(&s[mid])->ident;

		if (id == ident)
			return kr_primary(staticcall_site_key(&s[mid]));
		if (id < ident)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

struct staticcall_object *sc_object_of_key(const key_rec *k)
{
	unsigned int n;

	return object_of(kr_run(k, &n));
}

key_rec *sc_key_find(uint64_t ident)
{
	struct staticcall_object *o;
	key_rec *k;

	for (o = sc_objects; o; o = o->next) {
		k = object_find(o, ident);
		if (k)
			return k;
	}
	return NULL;
}

int sc_run_next(key_rec *primary, struct staticcall_object *scope,
		struct sc_run *r)
{
	for (r->k = r->k ? kr_next(r->k) : primary; r->k; r->k = kr_next(r->k)) {
		r->o = sc_object_of_key(r->k);
		if (scope && r->o != scope)
			continue;
		r->s = kr_run(r->k, &r->n);
		r->veneer = sc_veneer_find(r->o, r->k);
		return 1;
	}
	return 0;
}

static void set_site_key(site_rec *s, const key_rec *k)
{
	s->key = (int32_t)((intptr_t)k - (intptr_t)s) |
		 (s->key & STATICCALL_SITE_FLAGS);
}

/*
 * The @n sorted records at @s: one owner record per key (its run), linked
 * into the key's chain, or primary for a key no object has yet.  Returns
 * the number of keys.
 */
static size_t object_link_runs(site_rec *s, size_t n)
{
	size_t i, j, nkeys;

	for (i = 0, nkeys = 0; i < n; i = j, nkeys++) {
		key_rec *k = staticcall_site_key(&s[i]), *p;

		for (j = i + 1; j < n && staticcall_site_key(&s[j])->ident == k->ident; j++)
			set_site_key(&s[j], k);
		k->runtime[KR_RUN] = (uint64_t)(j - i) << 32 |
				     (uint32_t)(int32_t)((intptr_t)&s[i] - (intptr_t)k);
		p = sc_key_find(k->ident);
		if (p) {
			k->runtime[KR_PRIMARY] = (uintptr_t)p;
			k->runtime[KR_NEXT] = p->runtime[KR_NEXT];
			p->runtime[KR_NEXT] = (uintptr_t)k;
		} else {
			k->runtime[KR_PRIMARY] = (uintptr_t)k;
			k->runtime[KR_NEXT] = 0;
			k->runtime[KR_TARGET] = (k->flags & STATICCALL_KEY_FNPTR) ?
				__atomic_load_n((uintptr_t *)(uintptr_t)k->ident,
						__ATOMIC_ACQUIRE) : k->deflt;
		}
	}
	return nkeys;
}

/* Unlink @o's records from their chains. */
static void object_unlink(struct staticcall_object *o)
{
	site_rec *s = o->start, *end = o->stop;

	while (s < end) {
		key_rec *k = staticcall_site_key(s), *p = kr_primary(k), *q;
		unsigned int n;

		kr_run(k, &n);
		if (p == k) {
			/* promote the next record of the chain */
			key_rec *nk = kr_next(k);

			for (q = nk; q; q = kr_next(q))
				q->runtime[KR_PRIMARY] = (uintptr_t)nk;
			if (nk)
				nk->runtime[KR_TARGET] = k->runtime[KR_TARGET];
		} else {
			for (q = p; kr_next(q) != k; q = kr_next(q))
				;
			q->runtime[KR_NEXT] = k->runtime[KR_NEXT];
		}
		k->runtime[KR_PRIMARY] = 0;
		k->runtime[KR_NEXT] = 0;
		s += n ? n : 1;
	}
}

/*
 * Take the registered object *@pp out: unlink its records, drop it from the
 * list, unmap its veneers.
 */
static void object_drop(struct staticcall_object **pp)
{
	struct staticcall_object *obj = *pp;

	object_unlink(obj);
	*pp = obj->next;
	obj->state = 0;
	/* the platform drops its write view of text that may go away */
	if (sc_plat && sc_plat->text_forget && obj->text_hi)
		sc_plat->text_forget(obj->text_lo, obj->text_hi);
	sc_veneer_unmap(obj);
}

/*
 * Validate every site of the new object @obj, key by key (its run), and
 * bind it: sites of keys already retargeted go to the current target, and
 * on a CPU that binds at registration (sc_arch.bind_at_registration) every
 * site, even of a key at its default, is prepared and bound.
 */
static int object_bind(struct staticcall_object *obj)
{
	site_rec *s = obj->start, *end = obj->stop;
	unsigned int cnt;
	int err = 0;

	for (; !err && s < end; s += cnt) {
		key_rec *k = staticcall_site_key(s), *p = kr_primary(k);
		uintptr_t cur = (uintptr_t)p->runtime[KR_TARGET];
		struct sc_write w = { p, NULL, cur, 0 };
		struct sc_plan plan = { &w, 1, obj, SC_PLAN_CHECK };

		kr_run(k, &cnt);
		if (cur != p->deflt || sc_arch.bind_at_registration)
			plan.flags = 0;
		err = sc_plan_run(&plan);
	}
	return err;
}

int staticcall_object_add(struct staticcall_object *obj,
			  void *sites_start, void *sites_stop)
{
	return staticcall_object_add_toc(obj, sites_start, sites_stop, 0);
}

int staticcall_object_add_toc(struct staticcall_object *obj,
			      void *sites_start, void *sites_stop,
			      uintptr_t toc)
{
	site_rec *s = sites_start, *end = sites_stop;
	struct staticcall_object **pp;
	size_t n;
	int err;

	if (!obj || (uintptr_t)s & 7 || (uintptr_t)end & 7 || end < s)
		return -EINVAL;
	n = (size_t)(end - s);
	sc_lock();
	for (pp = &sc_objects; *pp; pp = &(*pp)->next)
		if (*pp == obj) {
			sc_unlock();
			return -EBUSY;
		}
	obj->next = NULL;
	obj->start = s;
	obj->stop = end;
	obj->veneers = 0;
	obj->veneers_size = 0;
	obj->text_lo = obj->text_hi = 0;
	obj->state = 0;
	if (toc) {
		obj->toc = toc;
		obj->state |= OBJ_TOC;
	}

	/* Check the whole table first: an unknown format patches nothing. */
	err = sc_table_scan(obj, n);
	if (!err)
		err = sc_table_sort(s, n);
	if (err) {
		sc_unlock();
		return err;
	}

	/* room for one veneer per key, should every key need one */
	obj->veneers_size = sc_veneer_area_size(object_link_runs(s, n));
	for (pp = &sc_objects; *pp; pp = &(*pp)->next)
		;
	*pp = obj;

	err = object_bind(obj);
	if (err) {
		for (pp = &sc_objects; *pp != obj; pp = &(*pp)->next)
			;
		object_drop(pp);
	}
	sc_unlock();
	return err;
}

int staticcall_object_remove(struct staticcall_object *obj)
{
	struct staticcall_object **pp;

	sc_lock();
	for (pp = &sc_objects; *pp && *pp != obj; pp = &(*pp)->next)
		;
	if (!*pp) {
		sc_unlock();
		return -ENOENT;
	}
	object_drop(pp);
	sc_unlock();
	return 0;
}
