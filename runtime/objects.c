/*
 * runtime/objects.c - registered objects: add (O(1): the table is only
 * recorded, or described at the first touch), the index built the first
 * time any key is touched (each key's run linked into the key's chain,
 * sites of keys already retargeted brought to their key's target), remove, refusal and status, and the
 * lookups of keys and runs the other files use.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

struct staticcall_object *sc_objects;
int sc_touched;
static unsigned int pending;	/* registered objects not indexed yet */
static int first_refusal;	/* staticcall_status() */
/*
 * Objects registered before any key was touched, without the lock (a
 * stack, newest first): the lock's holder takes them into sc_objects.
 */
static struct staticcall_object *queued;
/*
 * Objects refused once their table was recorded, newest first (linked
 * through next, out of sc_objects; lock held): their sites stay behind,
 * so updates of their keys are refused until the object is removed or
 * registered again (sc_key_left_behind).
 */
static struct staticcall_object *refused;

/* obj->live while @obj is registered; anything else before and after. */
static inline uintptr_t live_mark(const struct staticcall_object *obj)
{
	return (uintptr_t)obj ^ (UINTPTR_MAX / 3);
}

/* Take the queued objects into the list, oldest first (lock held). */
static void objects_take_in(int memorder)
{
	struct staticcall_object *o, *next, *rev = NULL, **pp;

	o = __atomic_exchange_n(&queued, NULL, memorder);
	for (; o; o = next) {
		next = o->next;
		o->next = rev;
		rev = o;
		pending++;
	}
	for (pp = &sc_objects; *pp; pp = &(*pp)->next)
		;
	*pp = rev;
}

void sc_objects_drain(void)
{
	if (__atomic_load_n(&queued, __ATOMIC_RELAXED))
		objects_take_in(__ATOMIC_ACQUIRE);
}

/* The primary record of the key @ident in the indexed @o, or NULL. */
static key_rec *object_find(const struct staticcall_object *o, uint64_t ident)
{
	const site_rec *s = o->start;
	size_t lo = 0, hi = (size_t)((const site_rec *)o->stop - s);

	if (!(o->state & OBJ_INDEXED))
		return NULL;
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

static key_rec *key_find_indexed(uint64_t ident)
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

static void objects_index_all(void);

key_rec *sc_key_find(uint64_t ident)
{
	if (!sc_touched || pending)
		objects_index_all();
	return key_find_indexed(ident);
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
 * The sorted index of @o: one owner record per key (its run), linked
 * into the key's chain, or primary for a key no object has yet.  Returns
 * the number of keys.
 */
static size_t object_link_runs(struct staticcall_object *o)
{
	site_rec *s = o->start;
	size_t i, j, nkeys, n = (size_t)((site_rec *)o->stop - s);

	for (i = 0, nkeys = 0; i < n; i = j, nkeys++) {
		key_rec *k = staticcall_site_key(&s[i]), *p;
		size_t d = i;
		uint64_t run;

		for (j = i + 1; j < n && staticcall_site_key(&s[j])->ident == k->ident; j++)
			set_site_key(&s[j], k);
		/* the definition records (sorted first) are in no run */
		while (d < j && staticcall_site_is_definition(&s[d]))
			d++;
		run = (uint64_t)(j - d) << 32 |
		      (uint32_t)(int32_t)((intptr_t)&s[d] - (intptr_t)k);
		p = key_find_indexed(k->ident);
		k->runtime[KR_OBJ] = (uintptr_t)o;
		if (p) {
			k->runtime[KR_RUN] = run;
			k->runtime[KR_TARGET] = (uintptr_t)p;
			k->runtime[KR_NEXT] = p->runtime[KR_NEXT];
			p->runtime[KR_NEXT] = (uintptr_t)k;
		} else {
			k->runtime[KR_RUN] = run | KR_RUN_PRIMARY;
			k->runtime[KR_NEXT] = 0;
			k->runtime[KR_TARGET] = (k->flags & STATICCALL_KEY_FNPTR) ?
				__atomic_load_n((uintptr_t *)(uintptr_t)k->ident,
						__ATOMIC_ACQUIRE) : k->deflt;
		}
	}
	return nkeys;
}

/* Unlink @o's records from their chains; their runtime words are zero again. */
static void object_unlink(struct staticcall_object *o)
{
	site_rec *s = o->start, *end = o->stop;

	for (; s < end; s = sc_index_next_key(s, end)) {
		key_rec *k = staticcall_site_key(s), *q;

		if (kr_is_primary(k)) {
			/* promote the next record of the chain */
			key_rec *nk = kr_next(k);

			if (nk) {
				nk->runtime[KR_RUN] |= KR_RUN_PRIMARY;
				nk->runtime[KR_TARGET] = k->runtime[KR_TARGET];
				for (q = kr_next(nk); q; q = kr_next(q))
					q->runtime[KR_TARGET] = (uintptr_t)nk;
			}
		} else {
			for (q = kr_primary(k); kr_next(q) != k; q = kr_next(q))
				;
			q->runtime[KR_NEXT] = k->runtime[KR_NEXT];
		}
		k->runtime[KR_OBJ] = k->runtime[KR_NEXT] = 0;
		k->runtime[KR_RUN] = k->runtime[KR_TARGET] = 0;
	}
}

/* Take *@pp out of the list (unlinking its records when indexed). */
static void object_drop(struct staticcall_object **pp)
{
	struct staticcall_object *obj = *pp;

	if (obj->state & OBJ_INDEXED)
		object_unlink(obj);
	else
		pending--;
	*pp = obj->next;
	obj->live = 0;
	obj->state &= OBJ_TOC | OBJ_TABLES;
	/* the platform drops its write view of text that may go away */
	if (sc_plat && sc_plat->text_forget && obj->text_hi)
		sc_plat->text_forget(obj->text_lo, obj->text_hi);
	sc_veneer_unmap(obj);
}

/*
 * @obj is refused with @err: out of the list, its error kept.  Unless its
 * tables could not even be described, it joins the refused objects.
 */
static void object_refuse(struct staticcall_object *obj, int err)
{
	struct staticcall_object **pp;
	int described = !(obj->state & OBJ_DEFERRED);

	for (pp = &sc_objects; *pp != obj; pp = &(*pp)->next)
		;
	object_drop(pp);
	obj->state |= (unsigned int)-err << OBJ_ERR_SHIFT;
	if (!first_refusal)
		first_refusal = err;
	if (described) {
		obj->next = refused;
		__atomic_store_n(&refused, obj, __ATOMIC_RELEASE);
	}
}

/* Take @obj out of the refused objects, if there (lock held). */
static int refused_unlink(struct staticcall_object *obj)
{
	struct staticcall_object **pp;

	for (pp = &refused; *pp; pp = &(*pp)->next)
		if (*pp == obj) {
			*pp = obj->next;
			obj->next = NULL;
			return 1;
		}
	return 0;
}

/*
 * @obj registered again: no longer a refused object.  Before any of its
 * fields change, under the lock, which start-up never takes: no object is
 * refused before the first touch but one with sites to prepare, indexed
 * at its registration (and then under the lock).
 */
SC_REGISTRATION
static void refused_forget(struct staticcall_object *obj)
{
	if (!__atomic_load_n(&refused, __ATOMIC_ACQUIRE))
		return;
	sc_lock();
	refused_unlink(obj);
	sc_unlock();
}

int sc_key_left_behind(const void *key, key_rec *p)
{
	struct staticcall_object *o;
	uintptr_t a;

	for (o = refused; o; o = o->next) {
		a = sc_table_left_behind(o, (uintptr_t)key, p);
		if (a) {
			staticcall_log("staticcall: key %p: site %p, of object %p refused (error %d), is left behind: update refused until that object is removed",
				       key, (void *)a, o->start,
				       staticcall_object_status(o));
			return -EINVAL;
		}
	}
	return 0;
}

void sc_refused_forget_range(uintptr_t lo, uintptr_t hi)
{
	struct staticcall_object **pp = &refused, *o;

	while ((o = *pp)) {
		uintptr_t a = (uintptr_t)o, t = (uintptr_t)o->start;

		if ((a >= lo && a < hi) || (t >= lo && t < hi)) {
			*pp = o->next;
			o->next = NULL;
		} else {
			pp = &o->next;
		}
	}
}

/* The checks every table passes before it is recorded. */
SC_REGISTRATION
static int table_bounds_ok(const void *start, const void *stop)
{
	const site_rec *s = start, *end = stop;

	return !((uintptr_t)s & 7 || (uintptr_t)end & 7 || end < s ||
		 (size_t)(end - s) >= (1u << 30));
}

/* Record @t in @obj (checked: 0 or -EINVAL). */
static int object_set_tables(struct staticcall_object *obj,
			     const struct staticcall_tables *t)
{
	if ((t->nranges && !t->ranges) || ((uintptr_t)t->index_start & 7) ||
	    (t->index_start && t->index_stop < t->index_start) ||
	    !table_bounds_ok(t->sites_start, t->sites_stop))
		return -EINVAL;
	obj->start = t->sites_start;
	obj->stop = t->sites_stop;
	obj->toc = t->toc;
	obj->index = t->index_start;
	obj->index_stop = t->index_stop;
	obj->ranges = t->ranges;
	obj->nranges = t->nranges;
	obj->prepared = t->prepared;
	obj->state |= OBJ_TABLES | (t->toc ? OBJ_TOC : 0);
	return 0;
}

/*
 * The tables of @obj, registered deferred, from its describe hook: at
 * the first touch, with the lock held, or at registration.
 */
static int object_describe(struct staticcall_object *obj)
{
	struct staticcall_tables t = { NULL, NULL, NULL, NULL, NULL, 0, 0, 0 };
	int err = obj->describe(obj, &t);

	if (!err)
		err = object_set_tables(obj, &t);
	else if (err > 0)
		err = -EINVAL;
	if (err)
		staticcall_log("staticcall: object %p: its tables could not be described (error %d): not registered, its calls keep their default targets",
			       (void *)obj, err);
	else
		obj->state &= ~OBJ_DEFERRED;
	return err;
}

/*
 * Bind @obj, just indexed, key by key (its run): sites of keys already
 * retargeted are validated and go to the current target, and in an object
 * with sites to prepare (OBJ_PREPARE) every site, even of a key at its
 * default, is prepared and bound.  Sites of a key at its default are not
 * read otherwise: an update validates them.
 */
static int object_bind(struct staticcall_object *obj)
{
	site_rec *s = obj->start, *end = obj->stop;
	int err = 0;

	for (; !err && s < end; s = sc_index_next_key(s, end)) {
		key_rec *k = staticcall_site_key(s), *p = kr_primary(k);
		uintptr_t cur = (uintptr_t)p->runtime[KR_TARGET];
		struct sc_write w = { p, NULL, cur, 0, 0, 0, 0 };
		struct sc_plan plan = { &w, 1, obj, 0, NULL };
		unsigned int cnt;

		kr_run(k, &cnt);
		if (cnt && (cur != p->deflt || (obj->state & OBJ_PREPARE)))
			err = sc_plan_run(&plan);
	}
	return err;
}

/*
 * Index @obj and link its runs; bring its sites of retargeted keys to
 * their target.  A refusal takes @obj out of the list (logged).
 */
static int object_index(struct staticcall_object *obj)
{
	int err = 0;

	if (obj->state & OBJ_DEFERRED)
		err = object_describe(obj);
	if (!err)
		err = sc_table_index(obj);

	pending--;
	if (!err) {
		/* room for one veneer per key, should every key need one */
		obj->veneers_size = sc_veneer_area_size(object_link_runs(obj));
		obj->state |= OBJ_INDEXED;
		err = object_bind(obj);
		if (err)
			staticcall_log("staticcall: object %p: its sites cannot be brought to their keys' current targets (error %d): not registered, its calls keep their default targets",
				       (void *)obj->start, err);
	} else {
		pending++;	/* object_drop() counts it out */
	}
	if (err)
		object_refuse(obj, err);
	return err;
}

/*
 * The first touch of any key: every object not indexed yet is.  A
 * registration that did not see sc_touched set has queued its object
 * before this exchange sees the queue (both sequentially consistent).
 */
static void objects_index_all(void)
{
	struct staticcall_object *o, *next;

	if (!sc_touched) {
		__atomic_store_n(&sc_touched, 1, __ATOMIC_SEQ_CST);
		objects_take_in(__ATOMIC_SEQ_CST);
	}
	for (o = sc_objects; pending && o; o = next) {
		next = o->next;
		if (!(o->state & OBJ_INDEXED))
			object_index(o);
	}
}

/*
 * Before any key is touched, registration only records the table (or its
 * describe hook) and queues the object, without the lock or any platform
 * hook: start-up costs a few stores per object.  From the first touch on
 * (a dlopen after an update), and for an object with sites to prepare
 * (powerpc64: a nop the plugin did not make the r2 restore; never the
 * case of a current plugin's table), the object is indexed at once under
 * the lock, so sites of keys already retargeted follow them before the
 * object runs.  The table fields are set (or @obj is OBJ_DEFERRED).
 */
SC_REGISTRATION
static int object_add(struct staticcall_object *obj, unsigned int state)
{
	struct staticcall_object **pp;
	int err;

	obj->veneers = 0;
	obj->veneers_size = 0;
	obj->text_lo = obj->text_hi = 0;
	obj->state = state;
	obj->live = live_mark(obj);
	if (sc_arch.bind_at_registration && sc_table_needs_prepare(obj))
		obj->state |= OBJ_PREPARE;
	if (!(obj->state & OBJ_PREPARE) &&
	    !__atomic_load_n(&sc_touched, __ATOMIC_SEQ_CST)) {
		obj->next = __atomic_load_n(&queued, __ATOMIC_RELAXED);
		while (!__atomic_compare_exchange_n(&queued, &obj->next, obj, 1,
						    __ATOMIC_SEQ_CST,
						    __ATOMIC_RELAXED))
			;
		if (!__atomic_load_n(&sc_touched, __ATOMIC_SEQ_CST))
			return 0;
		sc_lock();	/* a key was touched meanwhile: obj is taken in */
	} else {
		sc_lock();
		obj->next = NULL;
		for (pp = &sc_objects; *pp; pp = &(*pp)->next)
			;
		*pp = obj;
		pending++;
	}
	/* indexed now, unless the first touch's holder already has */
	if (!(obj->state & OBJ_INDEXED) && !(obj->state >> OBJ_ERR_SHIFT))
		err = object_index(obj);
	else
		err = staticcall_object_status(obj);
	sc_unlock();
	return err;
}

/* The older entry points' table: writable, its own index, no ranges. */
SC_REGISTRATION
static int object_add_table(struct staticcall_object *obj, void *sites_start,
			    void *sites_stop, unsigned int state)
{
	if (!table_bounds_ok(sites_start, sites_stop))
		return -EINVAL;
	if (__atomic_load_n(&obj->live, __ATOMIC_RELAXED) == live_mark(obj))
		return -EBUSY;
	refused_forget(obj);
	obj->start = sites_start;
	obj->stop = sites_stop;
	return object_add(obj, state);
}

SC_REGISTRATION
int staticcall_object_add(struct staticcall_object *obj,
			  void *sites_start, void *sites_stop)
{
	if (!obj)
		return -EINVAL;
	return object_add_table(obj, sites_start, sites_stop, 0);
}

SC_REGISTRATION
int staticcall_object_add_toc(struct staticcall_object *obj,
			      void *sites_start, void *sites_stop,
			      uintptr_t toc)
{
	if (!obj)
		return -EINVAL;
	if (toc)
		obj->toc = toc;
	return object_add_table(obj, sites_start, sites_stop, toc ? OBJ_TOC : 0);
}

int staticcall_object_add_tables(struct staticcall_object *obj,
				 const struct staticcall_tables *t)
{
	int err;

	if (!obj || !t)
		return -EINVAL;
	if (__atomic_load_n(&obj->live, __ATOMIC_RELAXED) == live_mark(obj))
		return -EBUSY;
	refused_forget(obj);
	obj->state = 0;
	err = object_set_tables(obj, t);
	return err ? err : object_add(obj, obj->state);
}

/*
 * Start-up's registration: nothing is read but @obj's mark, the tables
 * are described at the first touch (object_index).  Where registration
 * may have to prepare sites (powerpc64), they are described now.
 */
SC_REGISTRATION
int staticcall_object_add_deferred(struct staticcall_object *obj,
				   int (*describe)(struct staticcall_object *,
						   struct staticcall_tables *))
{
	if (!obj || !describe)
		return -EINVAL;
	if (__atomic_load_n(&obj->live, __ATOMIC_RELAXED) == live_mark(obj))
		return -EBUSY;
	refused_forget(obj);
	obj->describe = describe;
	obj->state = OBJ_DEFERRED;
	if (sc_arch.bind_at_registration) {
		int err = object_describe(obj);

		if (err) {
			obj->state = (unsigned int)-err << OBJ_ERR_SHIFT;
			return err;
		}
	}
	return object_add(obj, obj->state);
}

int staticcall_object_remove(struct staticcall_object *obj)
{
	struct staticcall_object **pp;

	sc_lock();
	for (pp = &sc_objects; *pp && *pp != obj; pp = &(*pp)->next)
		;
	if (!*pp) {
		/* a refused object is not registered, but is forgotten */
		refused_unlink(obj);
		sc_unlock();
		return -ENOENT;
	}
	object_drop(pp);
	sc_unlock();
	return 0;
}

int staticcall_object_status(const struct staticcall_object *obj)
{
	return obj ? -(int)(obj->state >> OBJ_ERR_SHIFT) : -EINVAL;
}

int staticcall_status(void)
{
	int err;

	sc_lock();
	objects_index_all();
	err = first_refusal;
	sc_unlock();
	return err;
}
