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
 *            refusal changes nothing);
 *   store    one atomic store per site, or the back end's trap protocol
 *            for sites one store cannot write (sc_arch.trap);
 *   close    the windows, publishing the text;
 *   sync     one round of core synchronisation for the whole plan;
 *   commit   the keys' new targets recorded (SC_PLAN_COMMIT).
 * A failure before the store leaves everything as it was.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

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
 * set up the veneers its new target needs.  Sets w->trap.  On failure the
 * veneers are back as they were.
 */
static int check_key(const struct sc_plan *plan, struct sc_write *w)
{
	key_rec *primary = w->primary;
	struct staticcall_object *scope = plan->scope;
	uintptr_t cur = (uintptr_t)primary->runtime[KR_TARGET];
	int any_default = cur == (uintptr_t)primary->deflt;
	int write = !(plan->flags & SC_PLAN_CHECK);
	struct sc_run r = { 0 };
	struct sc_insn insn;
	int err;

	while (sc_run_next(primary, scope, &r)) {
		unsigned int i, need_veneer = 0;

		for (i = 0; i < r.n; i++) {
			uintptr_t a = staticcall_site_addr(&r.s[i]);
			unsigned int fl = staticcall_site_flags(&r.s[i]);
			enum sc_form want = target_form(cur, fl);
			enum sc_form next = target_form(w->target, fl);
			uintptr_t cur_dest = site_direct(r.o, fl, sc_target_fn(cur));
			uintptr_t new_dest = site_direct(r.o, fl, sc_target_fn(w->target));
			struct sc_decoded d;
			int trapped = 0;

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
			}
			if (!trapped && !any_default && !scope &&
			    (d.form != want ||
			     (is_branch(want) && d.dest != cur_dest &&
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
			if (write && is_branch(next) &&
			    (!new_dest ||
			     sc_arch_encode(a, fl, next, new_dest, &insn) == -ERANGE))
				need_veneer = 1;
		}
		if (!need_veneer)
			continue;
		err = sc_veneer_set(r.o, r.k, sc_target_fn(w->target));
		if (err) {
			staticcall_log("staticcall: key %s: target %p out of reach of %p and no veneer (%d)",
				       staticcall_key_name(r.k), (void *)w->target,
				       (void *)r.o->text_lo, err);
			undo_veneers(w, scope);
			return err;
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

/*
 * The page windows over the run @r, in address order, adjacent pages
 * merged: call with *@i = 0, then while it returns 1 [*@ws, *@we) is the
 * next one.  A window covers sc_arch.site_span bytes from each site.
 */
static int next_window(const struct sc_run *r, unsigned int *i,
		       uintptr_t *ws, uintptr_t *we)
{
	uintptr_t ps = sc_page_size();

	if (*i >= r->n)
		return 0;
	*ws = staticcall_site_addr(&r->s[*i]) & ~(ps - 1);
	*we = *ws;
	for (; *i < r->n; ++*i) {
		uintptr_t a = staticcall_site_addr(&r->s[*i]);
		uintptr_t lo = a & ~(ps - 1);
		uintptr_t hi = (a + sc_arch.site_span + ps - 1) & ~(ps - 1);

		if (lo > *we)
			break;
		if (hi > *we)
			*we = hi;
	}
	return 1;
}

/* Close the windows of @w's runs in @scope, up to (not including) the
 * window starting at @stop_ws of run @stop (NULL: all). */
static void close_key(const struct sc_write *w, struct staticcall_object *scope,
		      const key_rec *stop, uintptr_t stop_ws)
{
	struct sc_run r = { 0 };
	uintptr_t ws, we;
	unsigned int i;

	while (sc_run_next(w->primary, scope, &r)) {
		for (i = 0; next_window(&r, &i, &ws, &we);) {
			if (r.k == stop && ws == stop_ws)
				return;
			sc_text_close(ws, we - ws);
		}
	}
}

/* Open every window of @w; at the first refusal close those it opened. */
static int open_key(const struct sc_write *w, struct staticcall_object *scope)
{
	struct sc_run r = { 0 };
	uintptr_t ws, we;
	unsigned int i;
	int err;

	while (sc_run_next(w->primary, scope, &r)) {
		for (i = 0; next_window(&r, &i, &ws, &we);) {
			err = sc_text_open(ws, we - ws);
			if (err) {
				close_key(w, scope, r.k, ws);
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
 * Every site of @w: one atomic store, or into the trap batch (trap_add).
 * @debug: the check found a debugger's trap on a site of the plan, which
 * the store keeps.  Only then is a trap at a site read as the debugger's:
 * a platform may put its own on the sites of the windows it opened (the
 * bare-metal x86-64 kernel's guard), which the store must not keep.
 */
static void store_key(struct sc_write *w, struct staticcall_object *scope,
		      int debug)
{
	uintptr_t cur = (uintptr_t)w->primary->runtime[KR_TARGET];
	struct sc_run r = { 0 };
	struct sc_insn insn, old;
	unsigned int i;

	while (sc_run_next(w->primary, scope, &r)) {
		for (i = 0; i < r.n; i++) {
			uintptr_t a = staticcall_site_addr(&r.s[i]);
			unsigned int fl = staticcall_site_flags(&r.s[i]);

			sc_site_prepare(scope, a, fl);
			sc_site_insn(r.o, r.veneer, a, fl, w->target, &insn);
			if (sc_site_needs_trap(a)) {
				trap_add(a, &insn);
				continue;
			}
			/* a debugger's breakpoint, found by the check */
			if (debug && sc_arch_debug_trap(a, NULL) &&
			    !sc_site_insn(r.o, r.veneer, a, fl, cur, &old) &&
			    sc_arch_debug_trap(a, &old))
				sc_arch_debug_keep(&insn);
			sc_arch_store_atomic(a, sc_text_rw(a), &insn);
		}
	}
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
}

int sc_plan_run(struct sc_plan *plan)
{
	struct staticcall_object *scope = plan->scope;
	unsigned int i, j, n = plan->n;
	struct sc_write w;
	int err = 0, trap = 0, debug = 0;

	for (i = 0; i < n; i++) {
		sc_plan_write(plan, i, &w);
		if (!w.primary)
			continue;
		err = check_key(plan, &w);
		if (err)
			break;
		trap |= w.trap;
		debug |= w.debug;
	}
	if (!err && (plan->flags & SC_PLAN_CHECK))
		return 0;
	if (!err && trap)
		err = sc_plat->bp_prepare();
	for (j = 0; !err && j < n; j++) {
		sc_plan_write(plan, j, &w);
		if (w.primary)
			err = open_key(&w, scope);
		if (err)
			while (j-- > 0) {
				sc_plan_write(plan, j, &w);
				if (w.primary)
					close_key(&w, scope, NULL, 0);
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
	for (i = 0; i < n; i++) {
		sc_plan_write(plan, i, &w);
		if (w.primary)
			store_key(&w, scope, debug);
	}
	trap_flush();
	for (i = 0; i < n; i++) {
		sc_plan_write(plan, i, &w);
		if (w.primary)
			close_key(&w, scope, NULL, 0);
	}
	sc_sync_cores();
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
