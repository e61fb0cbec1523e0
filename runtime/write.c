/*
 * runtime/write.c - the write plan: the one way the runtime changes sites.
 *
 * Update, reset, push/pop, batch, registration and unload all describe
 * what they want as a plan (struct sc_plan, internal.h) of one key or
 * many and hand it to sc_plan_run(), which carries every key through the
 * same steps:
 *   check    every site of every key (all objects, or the one being
 *            registered) is validated before any is written: a site whose
 *            bytes are neither what the runtime wrote nor a direct
 *            call/jump as the linker left it is logged and the plan is
 *            refused with -EINVAL;
 *   prepare  veneers: target word written and published before any site
 *            points at them;
 *   open     every text window (all opened before any write, so an OS
 *            refusal changes nothing), none over pages where no site
 *            changes;
 *   store    one atomic store per site that changes, or the back end's
 *            trap protocol for sites one store cannot write (sc_arch.trap);
 *            a site whose instruction is the same for both targets, and
 *            holds it, is left alone;
 *   close    the windows, publishing the text;
 *   sync     one round of core synchronisation for the whole plan;
 *   commit   the keys' new targets recorded (SC_PLAN_COMMIT).
 * A failure before the store leaves everything as it was.
 *
 * The fused lane: where the platform parks every other thread off the
 * pages while they are written (text_parked: the nx writer), a run whose
 * sites all take the usual forms is not checked before the windows open
 * but as it is written, one pass instead of two: each site is compared
 * with what the runtime wrote and rewritten in the same visit.  No thread
 * can see the text between the first store and the close, so a site that
 * does not hold what the runtime wrote has everything the lane wrote put
 * back before the close, and the plan then runs again the usual way,
 * which says what that site is.  The result is the same either way.
 *
 * What depends on the run (same key, object, targets: forms,
 * destinations, reach, the back end's instruction template) is worked out
 * once per run.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/* plan_run(): nothing changed, run the plan again without the fused lane
   (a run on a page the platform will not park, or a site the lane could
   not write) */
#define PLAN_AGAIN	1

/* The form a site with @flags takes for @target. */
static enum sc_form target_form(uintptr_t target, unsigned int flags)
{
	int tail = (flags & STATICCALL_SITE_TAIL) != 0;
	enum sc_form f;

	if (!target)
		f = tail ? SC_FORM_RET : SC_FORM_NOP;
	else if (target == (uintptr_t)__static_call_return0)
		f = tail ? SC_FORM_RET0_TAIL : SC_FORM_RET0;
	else
		f = tail ? SC_FORM_TAIL : SC_FORM_CALL;
	if (sc_arch.target_forms & (1u << f))
		f = tail ? SC_FORM_TAIL : SC_FORM_CALL;
	return f;
}

static int is_branch(enum sc_form f)
{
	return f == SC_FORM_CALL || f == SC_FORM_TAIL;
}

/*
 * Where a site with @flags in @o branches to call @fn directly, or 0: a
 * veneer.  The object's TOC is passed only when known (doc/arch-powerpc64.md,
 * "r2 and the TOC"); other CPUs return @fn.
 */
static uintptr_t site_direct(const struct staticcall_object *o,
			     unsigned int flags, uintptr_t fn)
{
	return sc_arch_direct_dest(fn, flags,
				   o && (o->state & OBJ_TOC) ? o->toc : 0);
}

int sc_site_insn(const struct staticcall_object *o, uintptr_t veneer,
		 uintptr_t site, unsigned int flags, uintptr_t target,
		 struct sc_insn *insn)
{
	enum sc_form form = target_form(target, flags);
	uintptr_t dest;
	int err = -ERANGE;

	if (!is_branch(form))
		return sc_arch_encode(site, flags, form, 0, insn);
	/* direct 0: this target is always reached through a veneer */
	dest = site_direct(o, flags, sc_target_fn(target));
	if (dest)
		err = sc_arch_encode(site, flags, form, dest, insn);
	if (err == -ERANGE && veneer)
		err = sc_arch_encode(site, flags, form, veneer, insn);
	return err;
}

/* Log a refused site with its sc_arch.site_len bytes. */
static void log_site(const char *why, uintptr_t site, const key_rec *k)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *b = (const unsigned char *)site;
	char hex[3 * SC_INSN_MAX];
	unsigned int i;

	for (i = 0; i < sc_arch.site_len && i < SC_INSN_MAX; i++) {
		hex[3 * i] = digits[b[i] >> 4];
		hex[3 * i + 1] = digits[b[i] & 15];
		hex[3 * i + 2] = ' ';
	}
	hex[i ? 3 * i - 1 : 0] = 0;
	staticcall_log("staticcall: site %p of key %s: %s (bytes %s)",
		       (void *)site, staticcall_key_name(k), why, hex);
}

/* ---- the run plan: what a run's sites become, worked out once ---- */

/*
 * The per-site fast path: an instruction as a value (its len bytes the
 * value's, least significant first: sc_insn_tmpl_value()) compared with
 * and spliced into the aligned sc_arch.store_unit word holding the site:
 * one load, one compare, one store, as sc_arch_store_atomic() stores it.
 * Only for a site inside one word (no trap protocol), on a little-endian
 * host; what does not depend on the site is worked out once per run.
 */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SC_VALUE_PATH	1
#else
#define SC_VALUE_PATH	0
#endif

struct run_value {
	struct sc_insn_tmpl t;
	uint64_t mask;		/* the low t.len bytes */
	uintptr_t dest;		/* where a branch form reaches */
	/* a site @a fits in its word: (a & (store_unit - 1)) <= lim */
	uintptr_t lim;
	int wide;		/* the store unit is 8 bytes (else 4) */
};

/* @v for sites with @fl taking @form to @dest; 0 when it cannot serve */
static int value_init(struct run_value *v, unsigned int fl, enum sc_form form,
		      uintptr_t dest)
{
	unsigned int unit = sc_arch.store_unit;

	if (!SC_VALUE_PATH || (unit != 4 && unit != 8) ||
	    sc_arch_insn_tmpl(fl, form, &v->t) || v->t.len > unit ||
	    !v->t.len)
		return 0;
	v->mask = v->t.len < 8 ? ((uint64_t)1 << (8 * v->t.len)) - 1 :
				 ~(uint64_t)0;
	/* every value within the instruction's bytes (quick_value) */
	if ((v->t.base & ~v->mask) || v->t.pos >= 64 ||
	    ((v->t.mask << v->t.pos) & ~v->mask))
		return 0;
	v->dest = dest;
	v->lim = unit - v->t.len;
	v->wide = unit == 8;
	return 1;
}

/* A word of text (aligned) that only the updater writes: plain loads. */
typedef uint64_t __attribute__((may_alias)) text_u64;
typedef uint32_t __attribute__((may_alias)) text_u32;

/*
 * The usual sites, one page at a time (so that the platform is asked
 * about each page once: text_torn, text_alias), everything else held in
 * registers: consecutive sites of the run @s[0..n) from @i on with flags
 * @fl.  @wide: the store unit is 8 bytes (a constant where inlined).
 */
struct quick {
	uint64_t base, tmask, mask;	/* @v's template (sc_insn_tmpl_value) */
	unsigned int shift, pos;
	uintptr_t d0;			/* dest - bias */
	uintptr_t lim;			/* run_value.lim */
};

static inline void quick_init(struct quick *q, const struct run_value *v)
{
	q->base = v->t.base;
	q->tmask = v->t.mask;
	q->mask = v->mask;
	q->shift = v->t.shift;
	q->pos = v->t.pos;
	q->d0 = v->dest - v->t.bias;
	q->lim = v->lim;
}

static inline uint64_t quick_value(const struct quick *q, uintptr_t a)
{
	return q->base | ((((q->d0 - a) >> q->shift) & q->tmask) << q->pos);
}

static inline uint64_t quick_word(uintptr_t w, int wide)
{
	return wide ? *(const text_u64 *)w : *(const text_u32 *)w;
}

/* The first page of sites a trap test must see (sc_arch.trap: the
 * platform's text_torn answer, the crossing of a word), or not at all. */
static inline int quick_trap(uintptr_t a)
{
	return sc_arch.trap && sc_site_needs_trap(a);
}

/*
 * The check's usual case: the sites that hold @v's value (what the
 * runtime wrote for the current target), one store writing each.  Their
 * index past the last.
 */
static inline __attribute__((always_inline)) unsigned int
quick_check_unit(const site_rec *s, unsigned int i, unsigned int n,
		 unsigned int fl, const struct run_value *v, int wide)
{
	const uintptr_t om = wide ? 7 : 3, ps = sc_page_size();
	/* asked per site: a shorter instruction may leave the site crossing
	   its word; a site near the page's end is asked with the next page
	   (glue.c keeps the page's answer for the others) */
	const int cross = sc_arch.trap && v->t.len < sc_arch.site_len;
	const uintptr_t edge = sc_arch.trap ? ps - 16 : ps;
	struct quick q;

	quick_init(&q, v);
	while (i < n) {
		uintptr_t a = staticcall_site_addr(&s[i]);
		uintptr_t end = (a | (ps - 1)) + 1;

		/* the platform's answer for the page (text_torn) */
		if (quick_trap(a))
			return i;
		for (; i < n; i++) {
			uintptr_t off;

			a = staticcall_site_addr(&s[i]);
			if (a >= end)
				break;
			off = a & om;
			if (staticcall_site_flags(&s[i]) != fl || off > q.lim ||
			    ((cross || (a & (ps - 1)) > edge) &&
			     sc_site_needs_trap(a)) ||
			    ((quick_word(a - off, wide) >> (8 * off)) & q.mask) !=
			    quick_value(&q, a))
				return i;
		}
	}
	return i;
}

static __attribute__((noinline)) unsigned int
quick_check(const site_rec *s, unsigned int i, unsigned int n,
	    unsigned int fl, const struct run_value *v)
{
	if (v->wide)
		return quick_check_unit(s, i, n, fl, v, 1);
	return quick_check_unit(s, i, n, fl, v, 0);
}

/*
 * The store's usual case: the sites one store writes (@trap: some site
 * of the plan needs the protocol, so each is asked), @v's value stored
 * where it differs, into the word through the page's write view
 * (text_alias asked once per page: it is linear within one).  Their
 * index past the last.
 */
static inline __attribute__((always_inline)) unsigned int
quick_store_unit(const site_rec *s, unsigned int i, unsigned int n,
		 unsigned int fl, const struct run_value *v, int trap, int wide)
{
	const uintptr_t om = wide ? 7 : 3, ps = sc_page_size();
	struct quick q;

	quick_init(&q, v);
	while (i < n) {
		uintptr_t a = staticcall_site_addr(&s[i]);
		uintptr_t end = (a | (ps - 1)) + 1, rw = 0;
		int have_rw = 0;

		for (; i < n; i++) {
			uintptr_t off, w;
			uint64_t x, word, m;

			a = staticcall_site_addr(&s[i]);
			if (a >= end)
				break;
			off = a & om;
			if (staticcall_site_flags(&s[i]) != fl || off > q.lim ||
			    (trap && quick_trap(a)))
				return i;
			x = quick_value(&q, a);
			w = a - off;
			word = quick_word(w, wide);
			if (((word >> (8 * off)) & q.mask) == x)
				continue;
			if (!have_rw) {
				rw = (uintptr_t)sc_text_rw(a) - a;
				have_rw = 1;
			}
			/* a second view: the word as it is there */
			if (rw)
				word = quick_word(w + rw, wide);
			m = q.mask << (8 * off);
			word = (word & ~m) | ((x << (8 * off)) & m);
			if (wide)
				__atomic_store_n((uint64_t *)(w + rw), word,
						 __ATOMIC_RELEASE);
			else
				__atomic_store_n((uint32_t *)(w + rw),
						 (uint32_t)word, __ATOMIC_RELEASE);
		}
	}
	return i;
}

static __attribute__((noinline)) unsigned int
quick_store(const site_rec *s, unsigned int i, unsigned int n,
	    unsigned int fl, const struct run_value *v, int trap)
{
	if (v->wide)
		return quick_store_unit(s, i, n, fl, v, trap, 1);
	return quick_store_unit(s, i, n, fl, v, trap, 0);
}

/*
 * The fused lane's pass (pages parked: text_parked): consecutive sites of
 * the run @s[0..n) from @i on with flags @fl that hold @from's value get
 * @to's, checked and written in one visit.  @field: both values are one
 * fixed byte and a 32-bit displacement (field_shape), which is compared
 * and written alone: no thread runs there, so the stores need not be one
 * per site.  Their index past the last: it stops at a site that does not
 * hold @from's value or that its word does not hold whole (as
 * quick_check: the back end decodes those), on a page the platform does
 * not park, or one it writes through a second view.
 */
typedef uint32_t __attribute__((may_alias, aligned(1))) text_u32u;

static inline __attribute__((always_inline)) unsigned int
swap_unit(const site_rec *s, unsigned int i, unsigned int n, unsigned int fl,
	  const struct run_value *from, const struct run_value *to, int field,
	  int wide)
{
	const uintptr_t om = wide ? 7 : 3, ps = sc_page_size();
	struct quick qf, qt;

	quick_init(&qf, from);
	quick_init(&qt, to);
	while (i < n) {
		uintptr_t a = staticcall_site_addr(&s[i]);
		uintptr_t end = (a | (ps - 1)) + 1;

		if ((uintptr_t)sc_text_rw(a) != a || !sc_text_parked(a))
			return i;
		for (; i < n; i++) {
			a = staticcall_site_addr(&s[i]);
			if (a >= end)
				break;
			/* as quick_check: a site outside its word is the
			   back end's to decode */
			if (staticcall_site_flags(&s[i]) != fl ||
			    (a & om) > qf.lim)
				return i;
			if (field) {
				uint32_t d = (uint32_t)(qf.d0 - a);

				if (*(const unsigned char *)a != (unsigned char)qf.base ||
				    *(const text_u32u *)(a + 1) != d)
					return i;
				*(text_u32u *)(a + 1) = (uint32_t)(qt.d0 - a);
			} else {
				uintptr_t off = a & om, w = a - off;
				uint64_t x, word;

				x = quick_value(&qf, a);
				word = quick_word(w, wide);
				if (((word >> (8 * off)) & qf.mask) != x)
					return i;
				/* the site's bits hold @x: flip them to @to's */
				word ^= (x ^ quick_value(&qt, a)) << (8 * off);
				if (wide)
					*(text_u64 *)w = word;
				else
					*(text_u32 *)w = (uint32_t)word;
			}
		}
	}
	return i;
}

static __attribute__((noinline)) unsigned int
swap_sites(const site_rec *s, unsigned int i, unsigned int n, unsigned int fl,
	   const struct run_value *from, const struct run_value *to, int field)
{
	if (field)
		return swap_unit(s, i, n, fl, from, to, 1, 1);
	if (from->wide)
		return swap_unit(s, i, n, fl, from, to, 0, 1);
	return swap_unit(s, i, n, fl, from, to, 0, 0);
}

/*
 * A run's sites (one key in one object: one current target, one new
 * target, one veneer) with one flags value all take the same forms and,
 * when every one of them is in reach of the same destination, branch to
 * the same place.  That is worked out once per run and flags value; per
 * site there is then one encode (none where nothing changes) and one
 * compare.
 */
struct run_form {
	enum sc_form want, next;	/* for the current and the new target */
	uintptr_t cur_dest, new_dest;	/* site_direct() of each (0: veneer) */
	/* where a branch form reaches at every site of the run (the direct
	   destination or the veneer), 0 when that depends on the site */
	uintptr_t cur_to, new_to;
	/* the current and the new instruction are the same at every site
	   of the run: nothing to write */
	int same;
	/* tmpl_ok: every site's new instruction is sc_insn_from_tmpl() of
	   tmpl and new_to, without a call into the back end; value_ok: and
	   is @nv's value */
	int tmpl_ok, value_ok;
	struct sc_insn_tmpl tmpl;
	struct run_value nv;
	/* quick: a site holding @cv's value holds what the runtime wrote
	   for the current target, and the new instruction needs no veneer
	   at any site of the run: the check asks such a site nothing more
	   but whether one store writes it (the others are decoded) */
	int quick;
	struct run_value cv;
	/* fused: quick, value_ok and not same, @cv and @nv of one length:
	   the fused lane can write the sites (swap_sites); field: and both
	   values are one fixed byte, the same, then a 32-bit displacement */
	int fused, field;
};

struct run_plan {
	const struct sc_run *r;
	uintptr_t cur, target;
	unsigned int known;	/* bit f: form[f] worked out */
	unsigned int same;	/* bit f: form[f].same */
	struct run_form form[STATICCALL_SITE_FLAGS + 1];
};

/* 1 when the bytes at @a already are @insn. */
static inline int holds(uintptr_t a, const struct sc_insn *insn)
{
	const unsigned char *b = (const unsigned char *)a;
	unsigned int i;

	for (i = 0; i < insn->len; i++)
		if (b[i] != insn->bytes[i])
			return 0;
	return 1;
}

/* The template @t agrees with the encoder for @form to @dest at @a. */
static int tmpl_agrees(const struct sc_insn_tmpl *t, uintptr_t a,
		       unsigned int fl, enum sc_form form, uintptr_t dest)
{
	struct sc_insn x, y;

	sc_insn_from_tmpl(t, a, dest, &x);
	return !sc_arch_encode(a, fl, form, dest, &y) && x.len == y.len &&
	       holds((uintptr_t)y.bytes, &x);
}

static void run_plan_init(struct run_plan *p, const struct sc_run *r,
			  uintptr_t cur, uintptr_t target)
{
	p->r = r;
	p->cur = cur;
	p->target = target;
	p->known = 0;
	p->same = 0;
}

/*
 * Where a @form site with @fl of the run @r reaches for a target whose
 * direct destination is @dest, decided at the run's first and last sites
 * (sorted by address; a branch's reach is an interval around it, so the
 * sites between agree): as sc_site_insn() decides it per site.  0 when
 * the two ends disagree.
 */
static uintptr_t run_to(const struct sc_run *r, unsigned int fl,
			enum sc_form form, uintptr_t dest)
{
	uintptr_t lo = staticcall_site_addr(&r->s[0]);
	uintptr_t hi = staticcall_site_addr(&r->s[r->n - 1]);
	struct sc_insn insn;
	int elo = -ERANGE, ehi = -ERANGE;

	if (!is_branch(form))
		return 0;
	if (dest) {
		elo = sc_arch_encode(lo, fl, form, dest, &insn);
		ehi = sc_arch_encode(hi, fl, form, dest, &insn);
		if (!elo && !ehi)
			return dest;
	}
	if (elo != -ERANGE || ehi != -ERANGE || !r->veneer ||
	    sc_arch_encode(lo, fl, form, r->veneer, &insn) ||
	    sc_arch_encode(hi, fl, form, r->veneer, &insn))
		return 0;
	return r->veneer;
}

/* @t's value is one fixed byte then a 32-bit displacement (swap_sites). */
static int field_shape(const struct sc_insn_tmpl *t)
{
	return t->len == 5 && t->pos == 8 && t->shift == 0 &&
	       t->mask == 0xffffffffu && t->base <= 0xff;
}

/* Work out p->form[@b] for sites with flags @fl (once per run). */
static __attribute__((noinline)) const struct run_form *
run_form_fill(struct run_plan *p, unsigned int b, unsigned int fl)
{
	struct run_form *f = &p->form[b];
	const struct sc_run *r = p->r;
	uintptr_t a = staticcall_site_addr(&r->s[0]);

	f->want = target_form(p->cur, fl);
	f->next = target_form(p->target, fl);
	f->cur_dest = site_direct(r->o, fl, sc_target_fn(p->cur));
	f->new_dest = site_direct(r->o, fl, sc_target_fn(p->target));
	f->cur_to = run_to(r, fl, f->want, f->cur_dest);
	f->new_to = run_to(r, fl, f->next, f->new_dest);
	f->same = f->want == f->next &&
		  (!is_branch(f->want) || (f->cur_to && f->cur_to == f->new_to));
	/* once per run, each template against the encoder: a back end
	   whose template disagrees is only slower */
	f->tmpl_ok = (!is_branch(f->next) || f->new_to) &&
		     !sc_arch_insn_tmpl(fl, f->next, &f->tmpl) &&
		     tmpl_agrees(&f->tmpl, a, fl, f->next, f->new_to);
	f->value_ok = f->tmpl_ok && value_init(&f->nv, fl, f->next, f->new_to);
	f->quick = (!is_branch(f->want) || f->cur_to) &&
		   value_init(&f->cv, fl, f->want, f->cur_to) &&
		   f->cv.t.len == sc_arch.decode_len &&
		   tmpl_agrees(&f->cv.t, a, fl, f->want, f->cur_to) &&
		   (!is_branch(f->next) ||
		    (f->new_dest && f->new_to == f->new_dest));
	f->fused = f->quick && f->value_ok && !f->same &&
		   f->cv.t.len == f->nv.t.len && f->cv.wide == f->nv.wide;
	f->field = f->fused && field_shape(&f->cv.t) &&
		   field_shape(&f->nv.t) && f->cv.t.base == f->nv.t.base;
	p->known |= 1u << b;
	p->same |= (unsigned int)f->same << b;
	return f;
}

/* What the run's sites with flags @fl become (per site: a lookup). */
static inline const struct run_form *run_form(struct run_plan *p,
					      unsigned int fl)
{
	unsigned int b = fl & STATICCALL_SITE_FLAGS;

	if (__builtin_expect(p->known & (1u << b), 1))
		return &p->form[b];
	return run_form_fill(p, b, fl);
}

/*
 * 1 when the fused lane writes the run (in a plan with the lane): its
 * first site's form is fused.  Decided from the targets alone, so
 * check_key, the lane and store_key agree; a later site the lane cannot
 * write, or a page not parked, sends the plan the usual way.
 */
static int run_fused(struct run_plan *p)
{
	const struct sc_run *r = p->r;

	return r->n && run_form(p, staticcall_site_flags(&r->s[0]))->fused;
}

/* The new instruction of the run's site @a (sc_site_insn(), the run's
 * part already worked out). */
static inline int run_insn(const struct run_plan *p, const struct run_form *f,
		    uintptr_t a, unsigned int fl, struct sc_insn *insn)
{
	if (f->tmpl_ok) {
		sc_insn_from_tmpl(&f->tmpl, a, f->new_to, insn);
		return 0;
	}
	if (!is_branch(f->next))
		return sc_arch_encode(a, fl, f->next, 0, insn);
	if (f->new_to)
		return sc_arch_encode(a, fl, f->next, f->new_to, insn);
	return sc_site_insn(p->r->o, p->r->veneer, a, fl, p->target, insn);
}

/*
 * 1 when the site @s of the run is left alone: @skip (the plan found
 * every site it leaves alone holding what the runtime wrote: check_key)
 * and the site's instruction does not change.  Decided from the targets
 * alone, so open, store and close agree on it.
 */
static inline int run_skips(struct run_plan *p, const site_rec *s, int skip)
{
	return skip && run_form(p, staticcall_site_flags(s))->same;
}

/* ---- prepare: veneers ---- */

/* Veneers retargeted for @w go back to the key's current target. */
static void undo_veneers(const struct sc_write *w,
			 struct staticcall_object *scope)
{
	uintptr_t fn = sc_target_fn((uintptr_t)w->primary->runtime[KR_TARGET]);
	struct sc_run r = { 0 };

	while (sc_run_next(w->primary, scope, &r))
		if (r.veneer && sc_veneer_word(r.veneer) != fn)
			sc_veneer_set(r.o, r.k, fn);
}

/* ---- check (and prepare) ---- */

/*
 * The site at @a does not decode: 1 when it holds a debugger's breakpoint
 * over what the runtime wrote for @cur (form @want) and the new form
 * @next can be written under it (the trap kept: sc_arch_debug_keep), 0
 * when it is corrupt, -EBUSY (logged) when the breakpoint is in the way.
 */
static int debug_trap(const struct staticcall_object *o, uintptr_t veneer,
		      uintptr_t a, unsigned int fl, uintptr_t cur,
		      enum sc_form want, enum sc_form next, const key_rec *k)
{
	struct sc_insn old;

	if (sc_site_insn(o, veneer, a, fl, cur, &old) ||
	    !sc_arch_debug_trap(a, &old))
		return 0;
	if (next != want || sc_site_needs_trap(a) || sc_arch_debug_keep(&old)) {
		log_site("holds a debugger's breakpoint and the new instruction cannot be written under it (delete the breakpoint)", a, k);
		return -EBUSY;
	}
	return 1;
}

/*
 * Validate every site of @w in @plan's scope; unless the plan only checks,
 * set up the veneers its new target needs.  Sets w->trap, w->debug, and
 * w->loose when a site whose instruction does not change does not hold
 * it exactly (a debugger's trap, a site as the linker left it): then
 * every site of the plan is written, as if each changed.  On failure the
 * veneers are back as they were.  @fuse: the runs the fused lane writes
 * are left to it (*@fused set when there is one); PLAN_AGAIN when one of
 * them is on a page the platform will not park.
 */
static int check_key(const struct sc_plan *plan, struct sc_write *w,
		     int fuse, int *fused)
{
	key_rec *primary = w->primary;
	struct staticcall_object *scope = plan->scope;
	uintptr_t cur = (uintptr_t)primary->runtime[KR_TARGET];
	int any_default = cur == (uintptr_t)primary->deflt;
	int write = !(plan->flags & SC_PLAN_CHECK);
	struct sc_run r = { 0 };
	struct run_plan rp;
	struct sc_insn insn;
	int err;

	while (sc_run_next(primary, scope, &r)) {
		unsigned int i, need_veneer = 0;

		run_plan_init(&rp, &r, cur, w->target);
		/* checked as the fused lane writes it; a page the platform
		   will not park (the runtime's own segment): no lane */
		if (fuse && run_fused(&rp)) {
			if (!sc_text_parked(staticcall_site_addr(&r.s[0]))) {
				undo_veneers(w, scope);
				return PLAN_AGAIN;
			}
			*fused = 1;
			continue;
		}
		for (i = 0; i < r.n; i++) {
			uintptr_t a = staticcall_site_addr(&r.s[i]);
			unsigned int fl = staticcall_site_flags(&r.s[i]);
			const struct run_form *f = run_form(&rp, fl);
			enum sc_form want = f->want, next = f->next;
			struct sc_decoded d;
			int trapped = 0;

			/* the usual sites: nothing more to ask */
			if (f->quick) {
				unsigned int j = quick_check(r.s, i, r.n, fl, &f->cv);

				if (j > i) {
					i = j - 1;
					continue;
				}
			}

			/* exactly what the runtime wrote for the current
			   target: valid, nothing to decode */
			if (sc_arch_decode(a, fl, &d)) {
				trapped = debug_trap(r.o, r.veneer, a, fl, cur,
						     want, write ? next : want, r.k);
				if (trapped < 0) {
					err = trapped;
					goto fail;
				}
				if (!trapped) {
					log_site("not a call or jump the runtime can retarget", a, r.k);
					goto invalid;
				}
				w->debug = 1;
			} else if (any_default && !is_branch(d.form)) {
				log_site("not a call or jump the runtime can retarget", a, r.k);
				goto invalid;
			} else if (!any_default && !scope &&
				   (d.form != want ||
				    (is_branch(want) && d.dest != f->cur_dest &&
				     (!r.veneer || d.dest != r.veneer)))) {
				log_site("is not what the runtime wrote for the key's current target", a, r.k);
				goto invalid;
			}
			if (sc_site_needs_trap(a)) {
				if (!sc_plat || !sc_plat->bp_prepare) {
					log_site("needs the trap protocol and the platform has no breakpoint handler", a, r.k);
					goto invalid;
				}
				w->trap = 1;
			}
			/* new_to the direct destination: every site of the
			   run reaches it */
			if (write && is_branch(next) &&
			    !(f->new_dest && f->new_to == f->new_dest) &&
			    (!f->new_dest ||
			     sc_arch_encode(a, fl, next, f->new_dest, &insn) == -ERANGE))
				need_veneer = 1;
		}
		if (need_veneer) {
			err = sc_veneer_set(r.o, r.k, sc_target_fn(w->target));
			if (err) {
				staticcall_log("staticcall: key %s: target %p out of reach of %p and no veneer (%d)",
					       staticcall_key_name(r.k), (void *)w->target,
					       (void *)r.o->text_lo, err);
				undo_veneers(w, scope);
				return err;
			}
			/* the run may reach its new target through it now */
			r.veneer = sc_veneer_find(r.o, r.k);
			run_plan_init(&rp, &r, cur, w->target);
			for (i = 0; i < r.n; i++)
				run_form(&rp, staticcall_site_flags(&r.s[i]));
		}
		if (rp.same)
			w->keep = 1;
		/* the sites the store will leave alone must hold exactly
		   what it would write */
		if (!write || scope || w->loose || !rp.same)
			continue;
		for (i = 0; i < r.n && !w->loose; i++) {
			uintptr_t a = staticcall_site_addr(&r.s[i]);
			unsigned int fl = staticcall_site_flags(&r.s[i]);
			const struct run_form *f = run_form(&rp, fl);

			if (f->same && (run_insn(&rp, f, a, fl, &insn) ||
					!holds(a, &insn)))
				w->loose = 1;
		}
	}
	return 0;

invalid:
	err = -EINVAL;
fail:
	undo_veneers(w, scope);
	return err;
}

/* ---- open and close: text windows ---- */

/* The first site of @r from @i on at or after the address @a (sorted). */
static unsigned int site_at_or_after(const struct sc_run *r, unsigned int i,
				     uintptr_t a)
{
	unsigned int hi = r->n;

	while (i < hi) {
		unsigned int mid = i + (hi - i) / 2;

		if (staticcall_site_addr(&r->s[mid]) < a)
			i = mid + 1;
		else
			hi = mid;
	}
	return i;
}

/*
 * The page windows over the sites of the run @r that change (run_skips),
 * in address order, adjacent pages merged: call with *@i = 0, then while
 * it returns 1 [*@ws, *@we) is the next one.  A window covers
 * sc_arch.site_span bytes from each site.  @every: every site changes
 * (the plan leaves none alone): a window then grows a page at a time,
 * by binary search over the sorted sites, not site by site.
 */
static int next_window(const struct sc_run *r, struct run_plan *p, int skip,
		       int every, unsigned int *i, uintptr_t *ws, uintptr_t *we)
{
	uintptr_t ps = sc_page_size();
	unsigned int j;

	while (!every && *i < r->n && run_skips(p, &r->s[*i], skip))
		++*i;
	if (*i >= r->n)
		return 0;
	*ws = staticcall_site_addr(&r->s[*i]) & ~(ps - 1);
	*we = *ws;
	for (j = *i; every;) {
		uintptr_t hi;

		/* the sites below *we are in; the last of them may reach
		   the next page, and a site on the page at *we joins */
		j = site_at_or_after(r, j, *we);
		if (j > *i) {
			hi = (staticcall_site_addr(&r->s[j - 1]) +
			      sc_arch.site_span + ps - 1) & ~(ps - 1);
			if (hi > *we) {
				*we = hi;
				continue;
			}
		}
		if (j < r->n && staticcall_site_addr(&r->s[j]) < *we + ps) {
			*we += ps;
			continue;
		}
		*i = j;
		return 1;
	}
	for (; *i < r->n; ++*i) {
		uintptr_t a = staticcall_site_addr(&r->s[*i]);
		uintptr_t lo = a & ~(ps - 1);
		uintptr_t hi = (a + sc_arch.site_span + ps - 1) & ~(ps - 1);

		if (run_skips(p, &r->s[*i], skip))
			continue;
		if (lo > *we)
			break;
		if (hi > *we)
			*we = hi;
	}
	return 1;
}

/*
 * Close the windows of @w's runs in @scope, up to (not including) the
 * window starting at @stop_ws of run @stop (NULL: all).  0, or the first
 * error of the platform's text_close: what was stored did not reach the
 * text (the platform put it back).
 */
static int close_key(const struct sc_write *w, struct staticcall_object *scope,
		     int skip, int every, const key_rec *stop, uintptr_t stop_ws)
{
	uintptr_t cur = (uintptr_t)w->primary->runtime[KR_TARGET];
	struct sc_run r = { 0 };
	struct run_plan rp;
	uintptr_t ws, we;
	unsigned int i;
	int err = 0, e;

	while (sc_run_next(w->primary, scope, &r)) {
		run_plan_init(&rp, &r, cur, w->target);
		for (i = 0; next_window(&r, &rp, skip, every, &i, &ws, &we);) {
			if (r.k == stop && ws == stop_ws)
				return err;
			e = sc_text_close(ws, we - ws);
			if (e && !err)
				err = e;
		}
	}
	return err;
}

/* Open every window of @w; at the first refusal close those it opened. */
static int open_key(const struct sc_write *w, struct staticcall_object *scope,
		    int skip, int every)
{
	uintptr_t cur = (uintptr_t)w->primary->runtime[KR_TARGET];
	struct sc_run r = { 0 };
	struct run_plan rp;
	uintptr_t ws, we;
	unsigned int i;
	int err;

	while (sc_run_next(w->primary, scope, &r)) {
		run_plan_init(&rp, &r, cur, w->target);
		for (i = 0; next_window(&r, &rp, skip, every, &i, &ws, &we);) {
			err = sc_text_open(ws, we - ws);
			if (err) {
				close_key(w, scope, skip, every, r.k, ws);
				return err;
			}
		}
	}
	return 0;
}

/* ---- store ---- */

/*
 * The sites of the plan that go through the trap protocol, gathered in
 * address order (updater lock held; the back end's handler reads the
 * batch while sc_arch_trap_store() runs).  Static: nothing is allocated
 * on the patch path, and more sites than a batch holds are written in
 * several batches.
 */
static struct sc_trap_entry trap_batch[SC_TRAP_BATCH];
static unsigned int trap_n;

static void trap_flush(void)
{
	if (trap_n)
		sc_arch_trap_store(trap_batch, trap_n, sc_text_rw, sc_sync_cores);
	trap_n = 0;
}

/*
 * @a's new instruction @insn into the batch, kept sorted (sites come in
 * address order within a run: the search from the end stops at once).
 * A site already there takes the later instruction, as an atomic store
 * after another would.
 */
static void trap_add(uintptr_t a, const struct sc_insn *insn)
{
	unsigned int i, j;

	if (trap_n == SC_TRAP_BATCH)
		trap_flush();
	for (i = trap_n; i > 0 && trap_batch[i - 1].site >= a; i--)
		if (trap_batch[i - 1].site == a) {
			trap_batch[i - 1].insn = *insn;
			return;
		}
	for (j = trap_n; j > i; j--)
		trap_batch[j] = trap_batch[j - 1];
	trap_batch[i].site = a;
	trap_batch[i].insn = *insn;
	trap_n++;
}

/*
 * Every site of @w that changes (run_skips): one atomic store, or into
 * the trap batch (trap_add); a site already holding its new bytes is not
 * stored again.  @fuse: the fused lane's runs are its own.  @debug: the
 * check found a debugger's trap on a site of the plan, which the store
 * keeps.  Only then is a trap at a site read as the debugger's: a
 * platform may put its own on the sites of the windows it opened (the
 * bare-metal x86-64 kernel's guard), which the store must not keep.
 */
static void store_key(struct sc_write *w, struct staticcall_object *scope,
		      int debug, int skip, int trap, int fuse)
{
	uintptr_t cur = (uintptr_t)w->primary->runtime[KR_TARGET];
	struct sc_run r = { 0 };
	struct run_plan rp;
	struct sc_insn insn, old;
	unsigned int i;

	while (sc_run_next(w->primary, scope, &r)) {
		run_plan_init(&rp, &r, cur, w->target);
		if (fuse && run_fused(&rp))
			continue;	/* written by the fused lane */
		for (i = 0; i < r.n; i++) {
			uintptr_t a = staticcall_site_addr(&r.s[i]);
			unsigned int fl = staticcall_site_flags(&r.s[i]);
			const struct run_form *f = run_form(&rp, fl);

			if (skip && f->same)
				continue;
			sc_site_prepare(scope, a, fl);
			/* the usual sites: the new instruction from the
			   template, compared and stored as one word */
			if (f->value_ok && !debug && !scope) {
				unsigned int j = quick_store(r.s, i, r.n, fl,
							     &f->nv, trap);

				if (j > i) {
					i = j - 1;
					continue;
				}
			}
			run_insn(&rp, f, a, fl, &insn);
			if (sc_site_needs_trap(a)) {
				if (!holds(a, &insn))
					trap_add(a, &insn);
				continue;
			}
			/* a debugger's breakpoint, found by the check */
			if (debug && sc_arch_debug_trap(a, NULL) &&
			    !sc_site_insn(r.o, r.veneer, a, fl, cur, &old) &&
			    sc_arch_debug_trap(a, &old))
				sc_arch_debug_keep(&insn);
			if (!holds(a, &insn))
				sc_arch_store_atomic(a, sc_text_rw(a), &insn);
		}
	}
}

/* ---- the fused lane ---- */

/* Where the fused lane stopped: key @key of the plan, run @k, site @i. */
struct lane_stop {
	unsigned int key, i;
	const key_rec *k;
};

/*
 * The fused lane over the runs of @w (key @ki of the plan) that it
 * writes (run_fused): 0, or 1 with *@stop at the first site it cannot
 * write.  @undo: put back what the lane wrote before *@stop instead (a
 * site not holding the new value there is passed over: it was not
 * written).
 */
static int lane_key(const struct sc_write *w, unsigned int ki, int undo,
		    struct lane_stop *stop)
{
	uintptr_t cur = (uintptr_t)w->primary->runtime[KR_TARGET];
	struct sc_run r = { 0 };
	struct run_plan rp;

	while (sc_run_next(w->primary, NULL, &r)) {
		int last = undo && ki == stop->key && r.k == stop->k;
		unsigned int i = 0, n = last ? stop->i : r.n;

		run_plan_init(&rp, &r, cur, w->target);
		if (!run_fused(&rp))
			continue;
		while (i < n) {
			unsigned int fl = staticcall_site_flags(&r.s[i]), j = i;
			const struct run_form *f = run_form(&rp, fl);

			if (f->fused)
				j = undo ? swap_sites(r.s, i, n, fl, &f->nv,
						      &f->cv, f->field) :
					   swap_sites(r.s, i, n, fl, &f->cv,
						      &f->nv, f->field);
			if (j > i) {
				i = j;
			} else if (undo) {
				i++;
			} else {
				stop->key = ki;
				stop->k = r.k;
				stop->i = i;
				return 1;
			}
		}
		if (last)
			return 0;
	}
	return 0;
}

/*
 * The fused lane over keys [0, @n) of @plan: 0, or 1 when it stopped at
 * a site it cannot write, everything it wrote put back (the windows are
 * still open: nothing could run it).
 */
static int lane_run(const struct sc_plan *plan, unsigned int n)
{
	struct lane_stop stop;
	struct sc_write w;
	unsigned int i;

	for (i = 0; i < n; i++) {
		sc_plan_write(plan, i, &w);
		if (w.primary && lane_key(&w, i, 0, &stop))
			break;
	}
	if (i == n)
		return 0;
	for (i = 0; i <= stop.key; i++) {
		sc_plan_write(plan, i, &w);
		if (w.primary)
			lane_key(&w, i, 1, &stop);
	}
	return 1;
}

/* ---- the plan ---- */

/* Key @i of @plan (a batch's entries are looked up at every step). */
void sc_plan_write(const struct sc_plan *plan, unsigned int i,
		   struct sc_write *w)
{
	if (plan->w)
		*w = plan->w[i];
	else
		sc_plan_key(plan, i, w);
	w->trap = 0;
	w->debug = 0;
	w->loose = 0;
	w->keep = 0;
}

/* sc_plan_run(), @fuse: with the fused lane (PLAN_AGAIN: without it,
 * please). */
static int plan_run(struct sc_plan *plan, int fuse)
{
	struct staticcall_object *scope = plan->scope;
	unsigned int i, j, n = plan->n;
	struct sc_write w;
	int err = 0, trap = 0, debug = 0, loose = 0, keep = 0, skip, every;
	int fused = 0;

	for (i = 0; i < n; i++) {
		sc_plan_write(plan, i, &w);
		if (!w.primary)
			continue;
		err = check_key(plan, &w, fuse, &fused);
		if (err)
			break;
		trap |= w.trap;
		debug |= w.debug;
		loose |= w.loose;
		keep |= w.keep;
	}
	/* sites whose instruction does not change are left alone, and the
	   pages holding only such sites are not opened; when no site is
	   left alone, windows are found without visiting every site */
	skip = !scope && !loose && !debug;
	every = !skip || !keep;
	if (!err && (plan->flags & SC_PLAN_CHECK))
		return 0;
	if (!err && trap)
		err = sc_plat->bp_prepare();
	for (j = 0; !err && j < n; j++) {
		sc_plan_write(plan, j, &w);
		if (w.primary)
			err = open_key(&w, scope, skip, every);
		if (err)
			while (j-- > 0) {
				sc_plan_write(plan, j, &w);
				if (w.primary)
					close_key(&w, scope, skip, every, NULL, 0);
			}
	}
	if (err) {
		/* the key that failed its check undid its own veneers */
		for (j = 0; j < n && j < i; j++) {
			sc_plan_write(plan, j, &w);
			if (w.primary)
				undo_veneers(&w, scope);
		}
		return err;
	}
	if (fused && lane_run(plan, n)) {
		for (i = 0; i < n; i++) {
			sc_plan_write(plan, i, &w);
			if (w.primary) {
				close_key(&w, scope, skip, every, NULL, 0);
				undo_veneers(&w, scope);
			}
		}
		return PLAN_AGAIN;
	}
	for (i = 0; i < n; i++) {
		sc_plan_write(plan, i, &w);
		if (w.primary)
			store_key(&w, scope, debug, skip, trap, fused);
	}
	trap_flush();
	for (i = 0; i < n; i++) {
		sc_plan_write(plan, i, &w);
		if (w.primary) {
			int e = close_key(&w, scope, skip, every, NULL, 0);

			if (e && !err)
				err = e;
		}
	}
	sc_sync_cores();
	if (err) {
		/* the platform put the text back as it was before the stores
		   (staticcall/platform.h, text_close): so are the veneers */
		for (i = 0; i < n; i++) {
			sc_plan_write(plan, i, &w);
			if (w.primary)
				undo_veneers(&w, scope);
		}
		staticcall_log("staticcall: an update's stores did not reach the text (errno %d): nothing changed",
			       -err);
		return err;
	}
	if (plan->flags & SC_PLAN_COMMIT)
		for (i = 0; i < n; i++) {
			sc_plan_write(plan, i, &w);
			if (w.primary)
				sc_key_set_target(w.primary, w.target);
			else
				sc_var_set(w.var, (void *)w.target);
		}
	return 0;
}

int sc_plan_run(struct sc_plan *plan)
{
	int fuse = !plan->scope && !(plan->flags & SC_PLAN_CHECK) &&
		   sc_plat && sc_plat->text_parked;
	int err = plan_run(plan, fuse);

	return err == PLAN_AGAIN ? plan_run(plan, 0) : err;
}
