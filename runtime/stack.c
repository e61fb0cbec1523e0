/*
 * runtime/stack.c - stacked targets (the livepatch function stack).
 *
 * Pushed patches of every key, newest first.  A key's effective target is
 * its newest patch, or its base target (what update/reset set) when it has
 * none; the base is kept in the key's oldest patch (->below) while patches
 * exist.  Each switch is one update of the key (a write plan): never a
 * window where a site is unpatched.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

struct staticcall_patch *sc_patches;

/* Is @q a patch of the key @key (primary @p, or NULL: by the key itself)? */
static int patch_of(const struct staticcall_patch *q, const void *key,
		    key_rec *p)
{
	return p ? sc_key_find((uintptr_t)q->key) == p : q->key == key;
}

struct staticcall_patch *sc_patch_newest(const void *key, key_rec *p)
{
	struct staticcall_patch *q;

	for (q = sc_patches; q; q = q->next)
		if (patch_of(q, key, p))
			return q;
	return NULL;
}

struct staticcall_patch *sc_patch_oldest(const void *key, key_rec *p)
{
	struct staticcall_patch *q, *oldest = NULL;

	for (q = sc_patches; q; q = q->next)
		if (patch_of(q, key, p))
			oldest = q;
	return oldest;
}

int staticcall_push_key(struct staticcall_patch *patch, const void *key,
			void *target, unsigned int kind)
{
	struct staticcall_patch *q;
	key_rec *p;
	int err;

	sc_lock();
	p = sc_key_find((uintptr_t)key);
	for (q = sc_patches; q; q = q->next)
		if (q == patch)
			break;	/* already pushed */
	if (q || (!p && !(kind & STATICCALL_KEY_FNPTR))) {
		sc_unlock();
		return -ENOENT;
	}
	patch->key = key;
	patch->target = target;
	patch->kind = kind;
	/* the first patch of a key keeps its base */
	if (sc_patch_newest(key, p))
		patch->below = NULL;
	else
		patch->below = p ? (void *)kr_target(p) : sc_var_get(key);
	err = sc_key_set(key, p, target);
	if (!err) {
		patch->next = sc_patches;
		sc_patches = patch;
	}
	sc_unlock();
	return err;
}

int staticcall_pop(struct staticcall_patch *patch)
{
	struct staticcall_patch **pp, *q, *older = NULL, *oldest;
	key_rec *p;
	uintptr_t target;
	int err = 0;

	sc_lock();
	for (pp = &sc_patches; *pp && *pp != patch; pp = &(*pp)->next)
		;
	if (!*pp) {
		sc_unlock();
		return -ENOENT;
	}
	p = sc_key_find((uintptr_t)patch->key);
	/* the next older patch of the same key inherits the base */
	for (q = patch->next; q; q = q->next)
		if (q->key == patch->key) {
			older = q;
			break;
		}
	target = older ? (uintptr_t)older->target : (uintptr_t)patch->below;
	/* only the newest patch runs; a key whose sites left keeps nothing */
	if ((p || (patch->kind & STATICCALL_KEY_FNPTR)) &&
	    sc_patch_newest(patch->key, p) == patch)
		err = sc_key_set(patch->key, p, (void *)target);
	if (!err) {
		*pp = patch->next;
		patch->next = NULL;
		if (!older) {
			/* patch was the oldest: pass the base to the oldest left */
			oldest = sc_patch_oldest(patch->key, NULL);
			if (oldest)
				oldest->below = patch->below;
		}
	}
	sc_unlock();
	return err;
}
