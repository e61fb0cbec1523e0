/*
 * runtime/table.c - one object's index, built the first time any key is
 * touched: every record of the table checked (an unknown format or an
 * offset outside the object patches nothing, and nothing the table points
 * at is read before its address is checked), then copied into the index
 * (or, for an object of the older entry points, the table itself) and
 * sorted by (key ident, site address) so that each key's sites in the
 * object are one run.  The table is never written.  No allocation: the
 * key records' runtime words are the scratch.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/* Is [@a, @a + @len) inside one of @o's ranges with @prot (no ranges: yes)? */
static int in_ranges(const struct staticcall_object *o, uintptr_t a,
		     size_t len, unsigned int prot)
{
	const struct staticcall_range *r;
	unsigned int i;

	if (!(o->state & OBJ_TABLES) || !o->nranges)
		return 1;
	for (i = 0, r = o->ranges; i < o->nranges; i++, r++)
		if ((r->prot & prot) == prot && a >= r->lo && a < r->hi &&
		    len <= r->hi - a)
			return 1;
	return 0;
}

/* Does [@a, @a + 8) overlap @o's index (the runtime's own storage)? */
static int in_index(const struct staticcall_object *o, uintptr_t a)
{
	uintptr_t lo = (uintptr_t)o->index, hi = (uintptr_t)o->index_stop;

	return (o->state & OBJ_TABLES) && lo && a < hi && a + 8 > lo;
}

/*
 * A pointer key's variable (its ident, read when the key is linked and
 * written at every update) in the table of @o: writable memory of @o or,
 * when it is defined in another object, of a registered object, and no
 * object's index.  An object registered without ranges may hold any
 * address.  Objects are visited under the updater lock.
 */
int sc_table_var_ok(const struct staticcall_object *o, uintptr_t a)
{
	const struct staticcall_object *p;

	if (!(o->state & OBJ_TABLES) || !o->nranges)
		return 1;
	for (p = sc_objects; p; p = p->next)
		if (in_index(p, a))
			return 0;
	if (in_index(o, a))
		return 0;
	if (in_ranges(o, a, sizeof(uintptr_t), STATICCALL_RANGE_W))
		return 1;
	for (p = sc_objects; p; p = p->next)
		if (p != o && in_ranges(p, a, sizeof(uintptr_t), STATICCALL_RANGE_W))
			return 1;
	return 0;
}

/* The key's name is a NUL-terminated string inside @o's readable ranges. */
SC_RAW_READ
static int name_ok(const struct staticcall_object *o, const key_rec *k)
{
	const struct staticcall_range *r;
	uintptr_t a = (uintptr_t)staticcall_key_name(k), p;
	unsigned int i;

	if (!(o->state & OBJ_TABLES) || !o->nranges)
		return 1;
	for (i = 0, r = o->ranges; i < o->nranges; i++, r++) {
		if (!(r->prot & STATICCALL_RANGE_R) || a < r->lo || a >= r->hi)
			continue;
		for (p = a; p < r->hi && p - a < 4096; p++)
			if (!*(const char *)p)
				return 1;
	}
	return 0;
}

static void refuse(const struct staticcall_object *o, const site_rec *s,
		   const char *why, uintptr_t what)
{
	staticcall_log("staticcall: object %p: site record %p: %s (%p): table refused",
		       o->start, (const void *)s, why, (void *)what);
}

/*
 * Check the record @s of @o (not indexed yet) without reading anything
 * it points at before that address is checked: the site in executable
 * memory, the key record writable, 8-aligned, of this format, well formed
 * and in no index yet, a pointer key's variable writable
 * (sc_table_var_ok()).  The key's name is checked once per key, later.
 */
SC_RAW_READ
static int check_record(struct staticcall_object *o, const site_rec *s)
{
	uintptr_t a = staticcall_site_addr(s);
	key_rec *k = staticcall_site_key(s);
	uintptr_t ka = (uintptr_t)k;
	int def = staticcall_site_is_definition(s);

	if (!def && !in_ranges(o, a, sc_arch.site_span, STATICCALL_RANGE_X)) {
		refuse(o, s, "site outside the object's executable memory", a);
		return -EINVAL;
	}
	if ((ka & 7) || !in_ranges(o, ka, sizeof(*k), STATICCALL_RANGE_W)) {
		refuse(o, s, "key record outside the object's writable memory", ka);
		return -EINVAL;
	}
	if (k->magic != STATICCALL_KEY_MAGIC ||
	    k->version != STATICCALL_ABI_VERSION) {
		staticcall_log("staticcall: object %p: site record %p has a key record with magic %x version %u (expected %x version %u): table refused",
			       o->start, (const void *)s, k->magic, k->version,
			       STATICCALL_KEY_MAGIC, STATICCALL_ABI_VERSION);
		return -EINVAL;
	}
	if (k->flags & ~STATICCALL_KEY_FLAGS) {
		refuse(o, s, "key record with unknown flags", ka);
		return -EINVAL;
	}
	if (!k->ident ||
	    (!(k->flags & STATICCALL_KEY_FNPTR) && k->ident != k->deflt) ||
	    ((k->flags & STATICCALL_KEY_FNPTR) && (k->ident & 7))) {
		refuse(o, s, "key record whose ident is not a key", (uintptr_t)k->ident);
		return -EINVAL;
	}
	if ((k->flags & STATICCALL_KEY_FNPTR) &&
	    !sc_table_var_ok(o, (uintptr_t)k->ident)) {
		refuse(o, s, "pointer key whose variable is in no object's writable memory",
		       (uintptr_t)k->ident);
		return -EINVAL;
	}
	if (k->runtime[0] || k->runtime[1] || k->runtime[2] || k->runtime[3]) {
		/* a table overlapping an indexed one (its records would be
		 * linked into their own chains), or runtime words not zero in
		 * the file */
		refuse(o, s, "key record already in use (runtime words not zero)", ka);
		return -EBUSY;
	}
	/*
	 * The site's bytes are not read here: bytes that are not what the
	 * record says (another tool's patch, a debugger's breakpoint) are
	 * that key's problem, found when the key is written (write.c: the
	 * update is -EINVAL naming the site, or keeps the debugger's trap),
	 * never a reason to refuse the object and every other key with it.
	 */
	return 0;
}

/* 1 when a registered record of the key @p (NULL: none) is a site at @a. */
static int key_has_site(key_rec *p, uintptr_t a)
{
	struct sc_run r = { 0 };

	while (p && sc_run_next(p, NULL, &r)) {
		unsigned int lo = 0, hi = r.n;

		/* a run is sorted by site address */
		while (lo < hi) {
			unsigned int mid = lo + (hi - lo) / 2;
			uintptr_t m = staticcall_site_addr(&r.s[mid]);

			if (m == a)
				return 1;
			if (m < a)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	return 0;
}

uintptr_t sc_table_left_behind(const struct staticcall_object *o,
			       uint64_t ident, key_rec *p)
{
	const site_rec *s = o->start, *end = o->stop;

	if ((uintptr_t)s & 7 || (uintptr_t)end & 7 || end < s)
		return 0;
	for (; s < end; s++) {
		const key_rec *k = staticcall_site_key(s);
		uintptr_t ka = (uintptr_t)k, a = staticcall_site_addr(s);

		if (staticcall_site_is_definition(s) || (ka & 7) ||
		    !in_ranges(o, ka, sizeof(*k), STATICCALL_RANGE_W))
			continue;
		if (k->magic != STATICCALL_KEY_MAGIC ||
		    k->version != STATICCALL_ABI_VERSION || k->ident != ident)
			continue;
		/* not a site at all, or one a registered record writes */
		if (!in_ranges(o, a, sc_arch.site_span, STATICCALL_RANGE_X) ||
		    key_has_site(p, a))
			continue;
		return a;
	}
	return 0;
}

/*
 * Copy @o's table into its index, rebased (offsets stay relative to each
 * record), checking every record first; the names once per key (the
 * runtime words count the key's records meanwhile and are zero again
 * after).  Sets the site span.
 */
static int index_fill(struct staticcall_object *o, const site_rec *t,
		      site_rec *x, size_t n)
{
	size_t i;
	int err = 0;

	for (i = 0; i < n; i++) {
		err = check_record(o, &t[i]);
		if (err)
			return err;
	}
	for (i = 0; !err && i < n; i++) {
		key_rec *k = staticcall_site_key(&t[i]);

		if (!k->runtime[0]++ && !name_ok(o, k)) {
			refuse(o, &t[i], "key record whose name is outside the object", (uintptr_t)k);
			err = -EINVAL;
		}
	}
	for (i = 0; i < n; i++)
		staticcall_site_key(&t[i])->runtime[0] = 0;
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		uintptr_t a = staticcall_site_addr(&t[i]);
		intptr_t site = (intptr_t)a - (intptr_t)&x[i];
		intptr_t key = (intptr_t)staticcall_site_key(&t[i]) - (intptr_t)&x[i];

		if (site != (int32_t)site || key != (int32_t)key) {
			refuse(o, &t[i], "index too far from the table", (uintptr_t)x);
			return -E2BIG;
		}
		if (x != t) {
			x[i].site = (int32_t)site;
			x[i].key = (int32_t)key | (int32_t)staticcall_site_flags(&t[i]);
		}
		if (staticcall_site_is_definition(&t[i]))
			continue;
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

static void heap_sort_site(site_rec *s, size_t n)
{
	size_t i;

	for (i = n / 2; i-- > 0;)
		sift_down_site(s, i, n);
	for (i = n; i-- > 1;) {
		swap_rec(&s[0], &s[i]);
		sift_down_site(s, 0, i);
	}
}

/*
 * A large table is first spread into SITE_BUCKETS buckets by address
 * (in place, American-flag), each bucket spread again while it is large
 * (at most SITE_SPREAD_DEPTH levels, 516 bytes of stack each), so that
 * the heapsorts work on pieces that stay in cache: a heapsort of 10^5
 * records misses the cache at nearly every step.  n < 2^30 (object_add).
 */
#define SITE_BUCKETS		64
#define SITE_SPREAD_MIN		256
#define SITE_SPREAD_DEPTH	3

static unsigned int site_bucket(const site_rec *r, int32_t lo, uint64_t span)
{
	return (unsigned int)(((uint64_t)((int64_t)r->site - lo) * SITE_BUCKETS) / span);
}

static void spread_by_site(site_rec *s, size_t n, unsigned int depth)
{
	uint32_t start[SITE_BUCKETS + 1], fill[SITE_BUCKETS];
	int32_t lo = s[0].site, hi = s[0].site;
	unsigned int b;
	uint64_t span;
	size_t i;

	for (i = 1; i < n; i++) {
		if (s[i].site < lo)
			lo = s[i].site;
		if (s[i].site > hi)
			hi = s[i].site;
	}
	span = (uint64_t)((int64_t)hi - lo) + 1;
	if (n < SITE_SPREAD_MIN || !depth || span < SITE_BUCKETS) {
		heap_sort_site(s, n);
		return;
	}
	for (b = 0; b <= SITE_BUCKETS; b++)
		start[b] = 0;
	for (i = 0; i < n; i++)
		start[site_bucket(&s[i], lo, span) + 1]++;
	for (b = 0; b < SITE_BUCKETS; b++) {
		start[b + 1] += start[b];
		fill[b] = start[b];
	}
	for (b = 0; b < SITE_BUCKETS; b++)
		while (fill[b] < start[b + 1]) {
			unsigned int d = site_bucket(&s[fill[b]], lo, span);

			if (d == b)
				fill[b]++;
			else
				swap_rec(&s[fill[b]], &s[fill[d]++]);
		}
	for (b = 0; b < SITE_BUCKETS; b++)
		spread_by_site(&s[start[b]], start[b + 1] - start[b], depth - 1);
}

static void sort_by_site(site_rec *s, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (s[i].site < s[i - 1].site)
			break;
	if (i < n)
		spread_by_site(s, n, SITE_SPREAD_DEPTH);
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

/*
 * The definition records of each key (normalised: site == key) go before
 * its sites, which keep their order: a key's sites are then one run
 * (objects.c).  A key has one definition record per unit that defines
 * it, usually one per object, so this is a few moves per key.
 */
static void definitions_first(uintptr_t base, site_rec *s, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		if (s[i].site != (s[i].key & ~STATICCALL_SITE_FLAGS))
			continue;
		for (j = i; j > 0 && norm_ident(base, &s[j - 1]) == norm_ident(base, &s[j]) &&
			    s[j - 1].site != (s[j - 1].key & ~STATICCALL_SITE_FLAGS); j--)
			swap_rec(&s[j - 1], &s[j]);
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

/*
 * Sort @s by (key ident, site).  First by site alone (skipped when the
 * table is in address order already), so that a site listed twice, under
 * one key or two (both would write it), is found next to itself.
 */
static int table_sort(const struct staticcall_object *o, site_rec *s,
		      size_t n)
{
	int err = renormalise(s, n, 1);
	size_t i, dup = 0;

	if (err)
		return err;
	sort_by_site(s, n);
	/* several definition records of a key (a weak definition in several
	   units) are one definition */
	for (i = 1; i < n && !dup; i++)
		if (s[i].site == s[i - 1].site &&
		    s[i].site != (s[i].key & ~STATICCALL_SITE_FLAGS))
			dup = i;
	if (dup)
		refuse(o, &s[dup], "site listed twice",
		       (uintptr_t)s + (intptr_t)s[dup].site);
	else
		sort_sites((uintptr_t)s, s, n);
	definitions_first((uintptr_t)s, s, n);
	err = renormalise(s, n, 0);
	return dup ? -EINVAL : err;
}

int sc_table_index(struct staticcall_object *o)
{
	site_rec *t = o->start, *x = t;
	size_t n = (size_t)((site_rec *)o->stop - t);
	int err;

	if ((o->state & OBJ_TABLES) && o->index) {
		x = o->index;
		if ((size_t)((site_rec *)o->index_stop - x) < n) {
			staticcall_log("staticcall: object %p: index %p..%p too small for %lu site records: table refused",
				       o->start, o->index, o->index_stop,
				       (unsigned long)n);
			return -ENOSPC;
		}
	}
	if (x == t && !in_ranges(o, (uintptr_t)t, n * sizeof(*t), STATICCALL_RANGE_W)) {
		staticcall_log("staticcall: object %p: a read-only table and no index: table refused",
			       o->start);
		return -ENOSPC;
	}
	o->text_lo = o->text_hi = 0;
	err = index_fill(o, t, x, n);
	if (!err)
		err = table_sort(o, x, n);
	if (err)
		return err;
	o->start = x;
	o->stop = x + n;
	return 0;
}

int sc_table_needs_prepare(const struct staticcall_object *o)
{
	const site_rec *s = o->start, *end = o->stop;

	/* O(1) when the plugin prepared every site: the text is not read */
	if ((o->state & OBJ_TABLES) && o->prepared >= (size_t)(end - s))
		return 0;
	for (; s < end; s++) {
		uintptr_t a = staticcall_site_addr(s);

		if (staticcall_site_is_definition(s))
			continue;
		if (in_ranges(o, a, sc_arch.site_span, STATICCALL_RANGE_X) &&
		    sc_arch_needs_prepare(a))
			return 1;
	}
	return 0;
}
