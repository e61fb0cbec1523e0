/*
 * runtime/key.c - the key API: update, reset, query and batch, each one
 * write plan (write.c).  A key is found by its ident at its primary
 * record; a pointer key without sites is its variable alone (varkey.c).
 * While patches are pushed (stack.c) update and reset change the base.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/*
 * Targets that are not functions: NULL (a void key's calls do nothing;
 * tail sites return) and __static_call_return0 (the call yields 0).  Back
 * ends write them inline unless sc_arch.target_forms says they cannot;
 * then the site calls (or tail-jumps to) one of these.
 */
void staticcall_nop_target(void)
{
}

long __static_call_return0(void)
{
	return 0;
}

void sc_key_set_target(key_rec *p, uintptr_t target)
{
	__atomic_store_n(&p->runtime[KR_TARGET], target, __ATOMIC_RELEASE);
	/* non-site calls through the variable never see NULL */
	if (p->flags & STATICCALL_KEY_FNPTR)
		__atomic_store_n((void **)(uintptr_t)p->ident,
				 (void *)sc_target_fn(target), __ATOMIC_RELEASE);
}

int sc_key_retarget(key_rec *p, uintptr_t target)
{
	struct sc_write w = { p, NULL, target, 0, 0, 0, 0 };
	struct sc_plan plan = { &w, 1, NULL, SC_PLAN_COMMIT, NULL };

	if (target == kr_target(p))
		return 0;
	if (!target && !(p->flags & STATICCALL_KEY_VOID))
		return -EINVAL;
	return sc_plan_run(&plan);
}

int sc_key_set(const void *key, key_rec *p, void *target)
{
	int err = sc_key_left_behind(key, p);

	if (err)
		return err;
	if (p)
		return sc_key_retarget(p, (uintptr_t)target);
	sc_var_set(key, target);
	return 0;
}

int sc_key_update(const void *key, void *target, unsigned int kind)
{
	key_rec *p = sc_key_find((uintptr_t)key);
	struct staticcall_patch *oldest;
	int err;

	if (!p && !(kind & STATICCALL_KEY_FNPTR))
		return -ENOENT;	/* never 0: sites in a refused object stay behind */
	if (p && !target && !(p->flags & STATICCALL_KEY_VOID)) {
		/* the Linux API layer: NULL on a value key calls an empty function */
		if (!(kind & STATICCALL_KIND_NULL_CALL)) {
			staticcall_log("staticcall: key %s: NULL target for a key that returns a value",
				       staticcall_key_name(p));
			return -EINVAL;
		}
		target = (void *)(uintptr_t)staticcall_nop_target;
	}
	oldest = sc_patch_oldest(key, p);
	if (oldest) {
		/* stacked: the base changes, the sites keep the newest patch */
		err = sc_key_left_behind(key, p);
		if (!err)
			oldest->below = target;
		return err;
	}
	return sc_key_set(key, p, target);
}

/*
 * What the user is told, once each, when an update cannot be what they
 * meant: a function key no registered object knows (no definition record,
 * no site: -ENOENT, nothing kept), and a key known but with no site loaded
 * yet (kept for objects loaded later).
 */
static void key_explain(const void *key, key_rec *p)
{
	static int said_unknown, said_no_sites;
	struct sc_run r = { NULL, NULL, NULL, 0, 0 };

	if (!p && !said_unknown) {
		said_unknown = 1;
		if (!sc_objects)
			staticcall_log("staticcall: key %p: no object with sites is registered: built without the plugin, or without staticcall-object.o (pkg-config --libs staticcall)? (-ENOENT, said once)",
				       key);
		else
			staticcall_log("staticcall: key %p: no loaded object defines it or calls it: its unit was built without the plugin, or is not loaded yet (-ENOENT, said once)",
				       key);
		return;
	}
	if (!p || said_no_sites)
		return;
	while (sc_run_next(p, NULL, &r))
		if (r.n)
			return;
	said_no_sites = 1;
	staticcall_log("staticcall: key %s: no loaded object calls it yet: objects loaded later start on its current target (said once)",
		       staticcall_key_name(p));
}

int staticcall_update_key(const void *key, void *target, unsigned int kind)
{
	int err;

	sc_lock();
	err = sc_key_update(key, target, kind);
	if (!(kind & STATICCALL_KEY_FNPTR))
		key_explain(key, sc_key_find((uintptr_t)key));
	sc_unlock();
	return err;
}

int staticcall_reset_key(const void *key, unsigned int kind)
{
	key_rec *p;
	void *deflt;
	int err;

	sc_lock();
	p = sc_key_find((uintptr_t)key);
	if (p) {
		err = sc_key_update(key, (void *)(uintptr_t)p->deflt, kind);
	} else if (!(kind & STATICCALL_KEY_FNPTR)) {
		err = -ENOENT;
	} else {
		/* no sites: back to the value before the runtime's first write */
		err = sc_var_default(key, &deflt);
		if (!err)
			err = sc_key_update(key, deflt, kind);
		else if (err == -ENOENT)
			err = 0;
	}
	sc_unlock();
	return err;
}

void *staticcall_query_key(const void *key, unsigned int kind)
{
	key_rec *p;
	void *t;

	sc_lock();
	p = sc_key_find((uintptr_t)key);
	if (p)
		t = (void *)kr_target(p);
	else if (kind & STATICCALL_KEY_FNPTR)
		t = sc_var_get(key);
	else
		t = (void *)(uintptr_t)key;
	sc_unlock();
	return t;
}

void sc_plan_key(const struct sc_plan *plan, unsigned int i, struct sc_write *w)
{
	const struct staticcall_retarget *v = &plan->v[i];

	w->primary = sc_key_find((uintptr_t)v->key);
	w->var = v->key;
	w->target = (uintptr_t)v->target;
}

static void batch_mark(key_rec *p, int on)
{
	if (on)
		p->runtime[KR_RUN] |= KR_RUN_MARK;
	else
		p->runtime[KR_RUN] &= ~KR_RUN_MARK;
}

/*
 * Several keys, one plan: all or nothing, one round of synchronisation.
 * Any number: the plan looks each key up again at every step, and a key
 * given twice is found by a mark in its primary record (pointer keys
 * without sites, compared with each other).
 */
int staticcall_update_batch(const struct staticcall_retarget *v, unsigned int n)
{
	struct sc_plan plan = { NULL, n, NULL, SC_PLAN_COMMIT, v };
	unsigned int i, j;
	int err = 0;

	if (n && !v)
		return -EINVAL;
	sc_lock();
	for (i = 0; !err && i < n; i++) {
		key_rec *p = sc_key_find((uintptr_t)v[i].key);

		/* a pointer key with no sites (primary NULL): its variable alone */
		if (!p && !(v[i].kind & STATICCALL_KEY_FNPTR))
			err = -ENOENT;
		else if (p && !v[i].target && !(p->flags & STATICCALL_KEY_VOID))
			err = -EINVAL;
		else if (p && (p->runtime[KR_RUN] & KR_RUN_MARK))
			err = -EINVAL;	/* one key twice */
		else if ((err = sc_key_left_behind(v[i].key, p)))
			;	/* sites of it in a refused object */
		else if (p)
			batch_mark(p, 1);
		for (j = 0; !err && !p && j < i; j++)
			if (v[j].key == v[i].key)
				err = -EINVAL;
	}
	for (j = 0; j < i; j++) {
		key_rec *p = sc_key_find((uintptr_t)v[j].key);

		if (p)
			batch_mark(p, 0);
	}
	if (!err)
		err = sc_plan_run(&plan);
	sc_unlock();
	return err;
}
