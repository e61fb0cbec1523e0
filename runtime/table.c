/*
 * runtime/table.c - one object's site table before it is registered: every
 * record checked (an unknown format patches nothing), then sorted in place
 * by (key ident, site address) so that each key's sites in the object are
 * one run.  No allocation: the key records' runtime words are the scratch.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

static int key_rec_ok(const key_rec *k)
{
	return k->magic == STATICCALL_KEY_MAGIC &&
	       k->version == STATICCALL_ABI_VERSION;
}

/*
 * Check every record of @o's table (lock held, not registered yet): its key
 * record must be of this format and in no registered object.  Sets @o's
 * site span.
 */
int sc_table_scan(struct staticcall_object *o, size_t n)
{
	site_rec *s = o->start;
	size_t i;

	for (i = 0; i < n; i++) {
		key_rec *k = staticcall_site_key(&s[i]);
		uintptr_t a = staticcall_site_addr(&s[i]);

		if (!key_rec_ok(k)) {
			staticcall_log("staticcall: object %p: site record %p has a key record with magic %x version %u (expected %x version %u): table refused",
				       o->start, (void *)&s[i], k->magic,
				       k->version, STATICCALL_KEY_MAGIC,
				       STATICCALL_ABI_VERSION);
			return -EINVAL;
		}
		if (k->runtime[KR_PRIMARY]) {
			/* a table overlapping a registered one (its records
			 * would be linked into their own chains) */
			staticcall_log("staticcall: object %p: key %s is already registered by another object with the same key records: table refused",
				       o->start, staticcall_key_name(k));
			return -EBUSY;
		}
		if (!o->text_lo || a < o->text_lo)
			o->text_lo = a;
		if (a + sc_arch.site_len > o->text_hi)
			o->text_hi = a + sc_arch.site_len;
	}
	return 0;
}

/* Sites in normalised form: offsets from the section start. */
static key_rec *norm_key(uintptr_t base, const site_rec *s)
{
	return (key_rec *)(base + (intptr_t)(s->key & ~STATICCALL_SITE_FLAGS));
}

static inline uint64_t norm_ident(uintptr_t base, const site_rec *s)
{
	return norm_key(base, s)->ident;
}

static inline int norm_less(uintptr_t base, const site_rec *a, const site_rec *b)
{
	uint64_t ia = norm_ident(base, a), ib = norm_ident(base, b);

	if (ia != ib)
		return ia < ib;
	return a->site < b->site;
}

static inline void swap_rec(site_rec *a, site_rec *b)
{
	site_rec t = *a;

	*a = *b;
	*b = t;
}

/* Heapsort by site offset alone (the records of one key). */
static void sift_down_site(site_rec *s, size_t i, size_t n)
{
	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= n)
			return;
		if (c + 1 < n && s[c].site < s[c + 1].site)
			c++;
		if (s[i].site >= s[c].site)
			return;
		swap_rec(&s[i], &s[c]);
		i = c;
	}
}

static void sort_by_site(site_rec *s, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (s[i].site < s[i - 1].site)
			break;
	if (i >= n)
		return;
	for (i = n / 2; i-- > 0;)
		sift_down_site(s, i, n);
	for (i = n; i-- > 1;) {
		swap_rec(&s[0], &s[i]);
		sift_down_site(s, 0, i);
	}
}

/*
 * While sorting, the runtime words of the key records are scratch (they
 * are written for real once the runs are known): [0] count, then bucket
 * end; [KR_NEXT] next distinct record; [3] fill cursor.  First a merge
 * sort of the list of distinct key records by ident.
 */
static key_rec *sort_key_list(key_rec *head)
{
	key_rec *a = NULL, *b = NULL, *k, *out = NULL, **tail;
	int flip = 0;

	if (!head || !kr_next(head))
		return head;
	while (head) {
		k = head;
		head = kr_next(head);
		if (flip) {
			k->runtime[KR_NEXT] = (uintptr_t)a;
			a = k;
		} else {
			k->runtime[KR_NEXT] = (uintptr_t)b;
			b = k;
		}
		flip = !flip;
	}
	a = sort_key_list(a);
	b = sort_key_list(b);
	tail = &out;
	while (a && b) {
		if (a->ident <= b->ident) {
			*tail = a;
			a = kr_next(a);
		} else {
			*tail = b;
			b = kr_next(b);
		}
		tail = (key_rec **)&(*tail)->runtime[KR_NEXT];
	}
	*tail = a ? a : b;
	return out;
}

/*
 * Sort normalised records by (key ident, site) in place, no allocation:
 * an American-flag (in-place bucket) sort by key record, O(n), then each
 * ident's records by site offset.
 */
static void sort_sites(uintptr_t base, site_rec *s, size_t n)
{
	key_rec *head = NULL, *k;
	size_t i, pos;

	for (i = 1; i < n; i++)
		if (norm_less(base, &s[i], &s[i - 1]))
			break;
	if (i >= n)
		return;
	for (i = 0; i < n; i++)
		norm_key(base, &s[i])->runtime[0] = 0;
	for (i = 0; i < n; i++) {
		k = norm_key(base, &s[i]);
		if (!k->runtime[0]++) {
			k->runtime[KR_NEXT] = (uintptr_t)head;
			head = k;
		}
	}
	head = sort_key_list(head);
	for (pos = 0, k = head; k; k = kr_next(k)) {
		k->runtime[3] = pos;		/* fill cursor */
		pos += k->runtime[0];
		k->runtime[0] = pos;		/* bucket end */
	}
	for (k = head; k; k = kr_next(k)) {
		for (i = k->runtime[3]; i < k->runtime[0]; i = k->runtime[3]) {
			key_rec *d = norm_key(base, &s[i]);

			if (d == k)
				k->runtime[3]++;
			else
				swap_rec(&s[i], &s[d->runtime[3]++]);
		}
	}
	/* within each ident (one or more records), by site address */
	for (pos = 0, k = head; k;) {
		key_rec *e = k;

		while (kr_next(e) && kr_next(e)->ident == k->ident)
			e = kr_next(e);
		sort_by_site(&s[pos], e->runtime[0] - pos);
		pos = e->runtime[0];
		k = kr_next(e);
	}
	for (k = head; k;) {
		key_rec *nk = kr_next(k);

		k->runtime[0] = k->runtime[1] = k->runtime[2] = k->runtime[3] = 0;
		k = nk;
	}
}

/* Rewrite each record relative to the section start (@to_base) or back. */
static int renormalise(site_rec *s, size_t n, int to_base)
{
	size_t i;

	for (i = 0; i < n; i++) {
		intptr_t d = (intptr_t)(i * sizeof(*s));
		int64_t site, key;

		if (to_base) {
			site = (int64_t)s[i].site + d;
			key = (int64_t)(s[i].key & ~STATICCALL_SITE_FLAGS) + d;
		} else {
			site = (int64_t)s[i].site - d;
			key = (int64_t)(s[i].key & ~STATICCALL_SITE_FLAGS) - d;
		}
		if (site != (int32_t)site || key != (int32_t)key)
			return -E2BIG;
		s[i].site = (int32_t)site;
		s[i].key = (int32_t)key | (s[i].key & STATICCALL_SITE_FLAGS);
	}
	return 0;
}

int sc_table_sort(site_rec *s, size_t n)
{
	int err = renormalise(s, n, 1);

	if (err)
		return err;
	sort_sites((uintptr_t)s, s, n);
	return renormalise(s, n, 0);
}
