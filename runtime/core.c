/*
 * runtime/core.c - the freestanding core: objects, keys, validation, update.
 *
 * No libc, no allocation.  State lives in storage the program already has:
 *   - each object's struct staticcall_object (caller-provided);
 *   - the four runtime words of each key record (abi.h), used as
 *       [KR_PRIMARY] the key's canonical record (self when canonical)
 *       [KR_NEXT]    next record of the same key (another object), a chain
 *                    that starts at the canonical record
 *       [KR_RUN]     this object's sites of the key: low 32 bits the signed
 *                    offset from the record to the first site record, high
 *                    32 bits their number
 *       [KR_TARGET]  canonical record only: the current target
 *   - each object's staticcall_sites section, sorted in place at
 *     registration by (key ident, site address) so that a key's sites in
 *     one object are one run: an update costs O(sites of the key).
 *
 * An update validates every site of the key (all objects) before it writes
 * any: a site whose bytes are neither what the runtime wrote nor a direct
 * call/jump as the linker left it is logged and the update is refused with
 * -EINVAL.  Then veneers, text windows (all opened before any write, so an
 * OS refusal changes nothing), the writes (one atomic store per aligned
 * site; the breakpoint protocol in three phases for unaligned ones), one
 * round of core synchronisation.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "staticcall.h"
#include "staticcall/abi.h"
#include "staticcall/arch.h"
#include "staticcall/platform.h"
#include "internal.h"

#define KR_PRIMARY	0
#define KR_NEXT		1
#define KR_RUN		2
#define KR_TARGET	3

#define OBJ_TOC		0x2	/* obj->toc is set (staticcall_object_add_toc) */

/*
 * Veneer area of an object: slots of sc_arch.veneer_size bytes (the target
 * word is the last 8 bytes of each), then one owner word per slot.
 */
#define VENEER_AREA_MIN	4096
#define VENEER_SLOT	(sc_arch.veneer_size)
#define VENEER_SLOTS(o)	((o)->veneers_size / (VENEER_SLOT + 8))
#define VENEER_MAX	64	/* largest veneer_size the core supports */

/* Bytes a text window must cover at a site (powerpc64 prepares site + 4). */
#define SITE_SPAN	(sc_arch.site_len < 8 ? 8 : sc_arch.site_len)

typedef struct staticcall_site_rec site_rec;
typedef struct staticcall_key_rec key_rec;

static const struct staticcall_platform *plat;
static struct staticcall_object *objects;
static int spin;

void staticcall_set_platform(const struct staticcall_platform *platform)
{
	plat = platform;
}

static void lock(void)
{
	if (plat && plat->lock) {
		plat->lock();
		return;
	}
	while (__atomic_exchange_n(&spin, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&spin, __ATOMIC_RELAXED))
			;
}

static void unlock(void)
{
	if (plat && plat->unlock) {
		plat->unlock();
		return;
	}
	__atomic_store_n(&spin, 0, __ATOMIC_RELEASE);
}

static uintptr_t page_size(void)
{
	return plat && plat->page_size ? plat->page_size : 4096;
}

static void sync_cores(void)
{
	if (plat && plat->sync_cores)
		plat->sync_cores();
}

/* ---- records ---- */

static key_rec *kr_primary(const key_rec *k)
{
	return (key_rec *)(uintptr_t)k->runtime[KR_PRIMARY];
}

static key_rec *kr_next(const key_rec *k)
{
	return (key_rec *)(uintptr_t)k->runtime[KR_NEXT];
}

static site_rec *kr_run(const key_rec *k, unsigned int *count)
{
	uint64_t run = k->runtime[KR_RUN];

	*count = (unsigned int)(run >> 32);
	return (site_rec *)((uintptr_t)k + (intptr_t)(int32_t)(uint32_t)run);
}

static uintptr_t kr_target(const key_rec *k)
{
	return (uintptr_t)__atomic_load_n(&kr_primary(k)->runtime[KR_TARGET],
					  __ATOMIC_ACQUIRE);
}

static int key_rec_ok(const key_rec *k)
{
	return k->magic == STATICCALL_KEY_MAGIC &&
	       k->version == STATICCALL_ABI_VERSION;
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

/* ---- object lookup ---- */

/* The registered object whose site table holds @rec. */
static struct staticcall_object *object_of(const void *rec)
{
	struct staticcall_object *o;

	for (o = objects; o; o = o->next)
		if ((const char *)rec >= (const char *)o->start &&
		    (const char *)rec < (const char *)o->stop)
			return o;
	return NULL;
}

/* The canonical record of the key @ident in @o (sorted), or NULL. */
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

/* The object holding @k's run of sites. */
static struct staticcall_object *object_of_key(const key_rec *k)
{
	unsigned int n;

	return object_of(kr_run(k, &n));
}

static key_rec *key_find(uint64_t ident)
{
	struct staticcall_object *o;
	key_rec *k;

	for (o = objects; o; o = o->next) {
		k = object_find(o, ident);
		if (k)
			return k;
	}
	return NULL;
}

/* ---- veneers ---- */

static uintptr_t *veneer_owner(const struct staticcall_object *o, unsigned int i)
{
	return (uintptr_t *)(o->veneers + VENEER_SLOTS(o) * VENEER_SLOT + 8 * i);
}

/* The veneer slot that @k's sites in @o use, or 0. */
static uintptr_t veneer_find(const struct staticcall_object *o, const key_rec *k)
{
	unsigned int i;

	if (!o->veneers)
		return 0;
	for (i = 0; i < VENEER_SLOTS(o); i++)
		if (*veneer_owner(o, i) == (uintptr_t)k)
			return o->veneers + VENEER_SLOT * i;
	return 0;
}

static int text_open(uintptr_t start, size_t len)
{
	uintptr_t ps = page_size();
	uintptr_t lo = start & ~(ps - 1);
	uintptr_t hi = (start + len + ps - 1) & ~(ps - 1);

	if (!plat || !plat->text_open)
		return 0;
	return plat->text_open(lo, hi - lo);
}

/*
 * WRITE VIEW (platform hook text_alias): every store into text goes through
 * text_rw(), the platform's writable view of the executing address @a (a
 * second mapping, /proc/self/mem shadow, ...), or @a itself.  Reads,
 * decoding and sc_arch_publish() stay on the executing address.  When this
 * file becomes a write plan, the plan's store step calls text_rw() and
 * nothing else changes.
 */
static void *text_rw(uintptr_t a)
{
	return plat && plat->text_alias ? plat->text_alias(a) : (void *)a;
}

static void text_close(uintptr_t start, size_t len)
{
	uintptr_t ps = page_size();
	uintptr_t lo = start & ~(ps - 1);
	uintptr_t hi = (start + len + ps - 1) & ~(ps - 1);

	if (plat && plat->text_close)
		plat->text_close(lo, hi - lo);
	sc_arch_publish(start, len);
}

/*
 * For runtime/alt.c (callback patching, runtime/internal.h): write @len
 * bytes at @dst, a region no thread runs yet, through a text window, and
 * publish them; sc_core_sync() then synchronises every core once.
 */
int sc_core_text_write(uintptr_t dst, const void *src, size_t len)
{
	const unsigned char *s = src;
	size_t i;
	int err;

	lock();
	err = text_open(dst, len);
	if (!err) {
		for (i = 0; i < len; i++)
			*(volatile unsigned char *)text_rw(dst + i) = s[i];
		text_close(dst, len);
	}
	unlock();
	return err;
}

void sc_core_sync(void)
{
	lock();
	sync_cores();
	unlock();
}

/*
 * Point @k's veneer in @o at @target, taking a slot (and mapping the area)
 * if it has none.  A live veneer changes with one atomic store of its
 * target word.  *@old receives the previous target word (0: new slot).
 */
static int veneer_set(struct staticcall_object *o, const key_rec *k,
		      uintptr_t target, uintptr_t *slot, uintptr_t *old)
{
	unsigned char code[VENEER_MAX];
	uintptr_t v;
	unsigned int i;
	int err;

	*old = 0;
	if (!o->veneers) {
		if (!plat || !plat->veneer_map)
			return -ERANGE;
		err = plat->veneer_map(o->text_lo, o->text_hi, sc_arch.reach,
				       o->veneers_size, &o->veneers);
		if (err) {
			o->veneers = 0;
			return err;
		}
	}
	v = veneer_find(o, k);
	err = text_open(o->veneers, o->veneers_size);
	if (err)
		return err;
	if (v) {
		uintptr_t *word = (uintptr_t *)(v + VENEER_SLOT - 8);

		*old = *word;
		__atomic_store_n((uintptr_t *)text_rw((uintptr_t)word), target,
				 __ATOMIC_RELEASE);
	} else {
		for (i = 0; i < VENEER_SLOTS(o); i++)
			if (!*veneer_owner(o, i))
				break;
		if (i == VENEER_SLOTS(o)) {
			text_close(o->veneers, o->veneers_size);
			return -ERANGE;
		}
		v = o->veneers + VENEER_SLOT * i;
		err = sc_arch_veneer_build(code, v, target);
		if (!err) {
			unsigned int j;

			for (j = 0; j < VENEER_SLOT; j++)
				*(unsigned char *)text_rw(v + j) = code[j];
			*(uintptr_t *)text_rw((uintptr_t)veneer_owner(o, i)) =
				(uintptr_t)k;
		}
	}
	text_close(o->veneers, o->veneers_size);
	*slot = v;
	return err;
}

/*
 * Targets that are not functions (issue 8): NULL (a void key's calls do
 * nothing; tail sites return) and __static_call_return0 (the call yields
 * 0).  Back ends write them inline unless sc_arch.target_forms says they
 * cannot; then the site calls (or tail-jumps to) one of these.
 */
void staticcall_nop_target(void);
void staticcall_nop_target(void)
{
}

long __static_call_return0(void)
{
	return 0;
}

/* The function a site of @target branches to when it branches at all. */
static uintptr_t target_fn(uintptr_t target)
{
	return target ? target : (uintptr_t)staticcall_nop_target;
}

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
 * veneer.  powerpc64: only a site whose function saved r2 in its prologue
 * (STATICCALL_SITE_TOC_SAVED) in an object whose TOC is known may call a
 * target directly, and only one that shares that TOC or needs none
 * (sc_arch_direct_dest); everything else goes through a stub.
 */
static uintptr_t site_direct(const struct staticcall_object *o,
			     unsigned int flags, uintptr_t fn)
{
	return sc_arch_direct_dest(fn, flags,
				   o && (o->state & OBJ_TOC) ? o->toc : 0);
}

/*
 * The instruction a site in @o needs for @target: inline, direct, or through
 * @veneer, the key's veneer in @o (veneer_find(), 0: none).
 */
static int site_insn(const struct staticcall_object *o, uintptr_t veneer,
		     uintptr_t site, unsigned int flags, uintptr_t target,
		     struct sc_insn *insn)
{
	enum sc_form form = target_form(target, flags);
	uintptr_t dest;
	int err = -ERANGE;

	if (!is_branch(form))
		return sc_arch_encode(site, flags, form, 0, insn);
	/* direct 0: this target is always reached through a veneer */
	dest = site_direct(o, flags, target_fn(target));
	if (dest)
		err = sc_arch_encode(site, flags, form, dest, insn);
	if (err == -ERANGE && veneer)
		err = sc_arch_encode(site, flags, form, veneer, insn);
	return err;
}

/* ---- writing a key's sites ---- */

/* Is the site free of the one-word atomic store (crosses an 8-byte word)? */
static int needs_bp(uintptr_t site)
{
	return (site & 7) + sc_arch.site_len > 8;
}

/*
 * The page windows over @k's run, in address order, adjacent pages merged:
 * call with *@i = 0, then while it returns 1 [*@ws, *@we) is the next one.
 */
static int next_window(const key_rec *k, unsigned int *i, uintptr_t *ws,
		       uintptr_t *we)
{
	unsigned int n;
	site_rec *s = kr_run(k, &n);
	uintptr_t ps = page_size();

	if (*i >= n)
		return 0;
	*ws = staticcall_site_addr(&s[*i]) & ~(ps - 1);
	*we = *ws;
	for (; *i < n; ++*i) {
		uintptr_t a = staticcall_site_addr(&s[*i]);
		uintptr_t lo = a & ~(ps - 1);
		uintptr_t hi = (a + SITE_SPAN + ps - 1) & ~(ps - 1);

		if (lo > *we)
			break;
		if (hi > *we)
			*we = hi;
	}
	return 1;
}

/*
 * Open (@close == 0) or close every window over @k's run.  Opening stops at
 * the first refusal after closing the windows it opened.
 */
static int run_windows(const key_rec *k, int close)
{
	unsigned int i = 0, j = 0;
	uintptr_t ws, we, cs, ce;
	int err;

	while (next_window(k, &i, &ws, &we)) {
		if (close) {
			text_close(ws, we - ws);
			continue;
		}
		err = text_open(ws, we - ws);
		if (err) {
			while (next_window(k, &j, &cs, &ce) && cs != ws)
				text_close(cs, ce - cs);
			return err;
		}
	}
	return 0;
}

/* The breakpoint protocol's shared state, read by the trap handler. */
static struct {
	key_rec *primary;		/* key being written, NULL: none ever */
	struct staticcall_object *scope;
	uintptr_t target;
} bp;

int staticcall_bp_handle(uintptr_t *pc, uintptr_t *sp)
{
	key_rec *k = __atomic_load_n(&bp.primary, __ATOMIC_ACQUIRE);
	struct sc_insn insn, trap;
	uintptr_t site;

	/* the trap instruction's pc is past the trap written at the site */
	if (sc_arch_bp_first(&trap))
		return 0;
	site = *pc - trap.len;

	for (; k; k = kr_next(k)) {
		struct staticcall_object *o = object_of_key(k);
		unsigned int n, i;
		site_rec *s = kr_run(k, &n);

		if (bp.scope && o != bp.scope)
			continue;
		for (i = 0; i < n; i++) {
			if (staticcall_site_addr(&s[i]) != site)
				continue;
			if (*(volatile unsigned char *)site != trap.bytes[0]) {
				*pc = site;	/* finished meanwhile: run it */
				return 1;
			}
			if (site_insn(o, veneer_find(o, k), site,
				      staticcall_site_flags(&s[i]), bp.target,
				      &insn))
				return 0;
			return sc_arch_bp_emulate(site, &insn, pc, sp) == 0;
		}
	}
	return 0;
}

static void write_bytes(uintptr_t site, const unsigned char *b,
			unsigned int from, unsigned int to)
{
	for (; from < to; from++)
		*(volatile unsigned char *)text_rw(site + from) = b[from];
}

/* Veneers retargeted in place for @primary go back to target @cur. */
static void key_undo_veneers(key_rec *primary, uintptr_t cur,
			     struct staticcall_object *scope)
{
	key_rec *kw;

	for (kw = primary; kw; kw = kr_next(kw)) {
		struct staticcall_object *o = object_of_key(kw);
		uintptr_t v = veneer_find(o, kw), slot, old;

		if ((scope && o != scope) || !v ||
		    *(uintptr_t *)(v + VENEER_SLOT - 8) == target_fn(cur))
			continue;
		veneer_set(o, kw, target_fn(cur), &slot, &old);
	}
}

/*
 * Phase 1 of retargeting key @primary to @target (in every object, or only
 * in @scope, a new object): validate every site before any is written, and
 * with @write prepare the veneers (target word written and published before
 * any site points at it).  *@unaligned: some site needs the breakpoint
 * protocol.  On failure the veneers are back as they were.
 */
static int key_check(key_rec *primary, uintptr_t target,
		     struct staticcall_object *scope, int write, int *unaligned)
{
	uintptr_t cur = (uintptr_t)primary->runtime[KR_TARGET];
	int any_default = cur == (uintptr_t)primary->deflt;
	struct sc_insn insn;
	key_rec *k;
	int err;

	for (k = primary; k; k = kr_next(k)) {
		struct staticcall_object *o = object_of_key(k);
		unsigned int n, i, need_veneer = 0;
		site_rec *s = kr_run(k, &n);
		uintptr_t vold;

		if (scope && o != scope)
			continue;
		vold = veneer_find(o, k);
		for (i = 0; i < n; i++) {
			uintptr_t a = staticcall_site_addr(&s[i]);
			unsigned int fl = staticcall_site_flags(&s[i]);
			enum sc_form want = target_form(cur, fl);
			uintptr_t cur_dest = site_direct(o, fl, target_fn(cur));
			uintptr_t new_dest = site_direct(o, fl, target_fn(target));
			struct sc_decoded d;

			if (sc_arch_decode(a, fl, &d) ||
			    (any_default && !is_branch(d.form))) {
				log_site("not a call or jump the runtime can retarget", a, k);
				goto invalid;
			}
			if (!any_default && !scope &&
			    (d.form != want ||
			     (is_branch(want) && d.dest != cur_dest &&
			      (!vold || d.dest != vold)))) {
				log_site("is not what the runtime wrote for the key's current target", a, k);
				goto invalid;
			}
			if (needs_bp(a)) {
				if (!plat || !plat->bp_prepare) {
					log_site("crosses an 8-byte word and the platform has no breakpoint handler", a, k);
					goto invalid;
				}
				*unaligned = 1;
			}
			if (write && is_branch(target_form(target, fl)) &&
			    (!new_dest ||
			     sc_arch_encode(a, fl, target_form(target, fl),
					    new_dest, &insn) == -ERANGE))
				need_veneer = 1;
		}
		/* veneers: target word written and published before use */
		if (need_veneer) {
			uintptr_t slot, old;

			err = veneer_set(o, k, target_fn(target), &slot, &old);
			if (err) {
				staticcall_log("staticcall: key %s: target %p out of reach of %p and no veneer (%d)",
					       staticcall_key_name(k), (void *)target,
					       (void *)o->text_lo, err);
				key_undo_veneers(primary, cur, scope);
				return err;
			}
		}
	}
	return 0;

invalid:
	key_undo_veneers(primary, cur, scope);
	return -EINVAL;
}

/* Phase 2: open every window over the key's sites (or close them). */
static int key_windows(key_rec *primary, struct staticcall_object *scope,
		       int close)
{
	key_rec *k, *kw;
	int err;

	for (k = primary; k; k = kr_next(k)) {
		if (scope && object_of_key(k) != scope)
			continue;
		err = run_windows(k, close);
		if (err) {
			for (kw = primary; kw != k; kw = kr_next(kw))
				if (!scope || object_of_key(kw) == scope)
					run_windows(kw, 1);
			return err;
		}
	}
	return 0;
}

/*
 * Phase 3: write.  Aligned sites with one atomic store each; the others in
 * three phases (trap byte, sync, tail bytes, sync, first byte, sync).
 */
static void key_store(key_rec *primary, uintptr_t target,
		      struct staticcall_object *scope, int unaligned)
{
	struct sc_insn insn, first;
	key_rec *k;
	int pass;

	if (unaligned) {
		bp.scope = scope;
		bp.target = target;
		__atomic_store_n(&bp.primary, primary, __ATOMIC_RELEASE);
		sc_arch_bp_first(&first);
	}
	for (pass = 0; pass < (unaligned ? 4 : 1); pass++) {
		for (k = primary; k; k = kr_next(k)) {
			struct staticcall_object *o = object_of_key(k);
			unsigned int n, i;
			site_rec *s = kr_run(k, &n);
			uintptr_t v;

			if (scope && o != scope)
				continue;
			v = veneer_find(o, k);	/* once per run, not per site */
			for (i = 0; i < n; i++) {
				uintptr_t a = staticcall_site_addr(&s[i]);

				if ((pass == 0) == needs_bp(a))
					continue;
				if (scope && pass < 2)
					sc_arch_prepare_site(a, text_rw(a),
							     staticcall_site_flags(&s[i]));
				site_insn(o, v, a, staticcall_site_flags(&s[i]),
					  target, &insn);
				if (pass == 0)
					sc_arch_store_atomic(a, text_rw(a), &insn);
				else if (pass == 1)
					write_bytes(a, first.bytes, 0, 1);
				else if (pass == 2)
					write_bytes(a, insn.bytes, 1, insn.len);
				else
					write_bytes(a, insn.bytes, 0, 1);
			}
		}
		if (pass > 0)
			sync_cores();
	}
}

/* The key's new target, and the pointer variable of a pointer key. */
static void key_set_target(key_rec *p, uintptr_t target)
{
	__atomic_store_n(&p->runtime[KR_TARGET], target, __ATOMIC_RELEASE);
	/* non-site calls through the variable never see NULL */
	if (p->flags & STATICCALL_KEY_FNPTR)
		__atomic_store_n((void **)(uintptr_t)p->ident,
				 (void *)target_fn(target), __ATOMIC_RELEASE);
}

/*
 * Retarget the sites of key @primary to @target: in every object, or only
 * in @scope (a new object).  With @write == 0 only validate.  Lock held.
 */
static int key_write(key_rec *primary, uintptr_t target,
		     struct staticcall_object *scope, int write)
{
	uintptr_t cur = (uintptr_t)primary->runtime[KR_TARGET];
	int unaligned = 0, err;

	err = key_check(primary, target, scope, write, &unaligned);
	if (err || !write)
		return err;
	if (unaligned)
		err = plat->bp_prepare();
	if (!err)
		err = key_windows(primary, scope, 0);
	if (err) {
		key_undo_veneers(primary, cur, scope);
		return err;
	}
	key_store(primary, target, scope, unaligned);
	key_windows(primary, scope, 1);
	sync_cores();
	return 0;
}

/* ---- registration ---- */

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

static void set_site_key(site_rec *s, const key_rec *k)
{
	s->key = (int32_t)((intptr_t)k - (intptr_t)s) |
		 (s->key & STATICCALL_SITE_FLAGS);
}

/* Unlink @o's records from their chains (lock held). */
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
 * list, unmap its veneers (lock held).
 */
static void object_drop(struct staticcall_object **pp)
{
	struct staticcall_object *obj = *pp;

	object_unlink(obj);
	/* the trap handler must not walk a record that leaves with it */
	if (bp.primary && kr_primary(bp.primary) != bp.primary)
		__atomic_store_n(&bp.primary, NULL, __ATOMIC_RELEASE);
	*pp = obj->next;
	obj->state = 0;
	/* WRITE VIEW: the platform drops its view of text that may go away */
	if (plat && plat->text_forget && obj->text_hi)
		plat->text_forget(obj->text_lo, obj->text_hi);
	if (obj->veneers && plat && plat->veneer_unmap)
		plat->veneer_unmap(obj->veneers, obj->veneers_size);
	obj->veneers = 0;
}

/*
 * Check every record of @o's table (lock held, not registered yet): its key
 * record must be of this format and in no registered object.  Sets @o's
 * site span.
 */
static int object_scan(struct staticcall_object *o, size_t n)
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

/*
 * The @n sorted records at @s: one owner record per key (its run), linked
 * into the key's chain, or canonical for a key no object has yet.  Returns
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
		p = key_find(k->ident);
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
	size_t n, i, j, nkeys, ps;
	struct staticcall_object **pp;
	int err;

	if (!obj || (uintptr_t)s & 7 || (uintptr_t)end & 7 || end < s)
		return -EINVAL;
	n = (size_t)(end - s);
	lock();
	for (pp = &objects; *pp; pp = &(*pp)->next)
		if (*pp == obj) {
			unlock();
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
	err = object_scan(obj, n);
	if (!err)
		err = renormalise(s, n, 1);
	if (!err) {
		sort_sites((uintptr_t)s, s, n);
		err = renormalise(s, n, 0);
	}
	if (err) {
		unlock();
		return err;
	}

	nkeys = object_link_runs(s, n);
	/* room for one veneer per key, should every key need one */
	ps = page_size();
	obj->veneers_size = (nkeys * (VENEER_SLOT + 8) + ps - 1) & ~(ps - 1);
	if (obj->veneers_size < VENEER_AREA_MIN)
		obj->veneers_size = VENEER_AREA_MIN;
	for (pp = &objects; *pp; pp = &(*pp)->next)
		;
	*pp = obj;

	/* Validate every site; bring keys already retargeted up to date. */
	for (i = 0; i < n; i += j) {
		key_rec *k = staticcall_site_key(&s[i]), *p = kr_primary(k);
		unsigned int cnt;

		kr_run(k, &cnt);
		j = cnt;
		/* powerpc64 (direct_dest 0) binds every site at registration */
		err = key_write(p, (uintptr_t)p->runtime[KR_TARGET], obj,
				(uintptr_t)p->runtime[KR_TARGET] != p->deflt ||
				!sc_arch_direct_dest(p->deflt, 0, 0));
		if (err)
			break;
	}
	if (err) {
		for (pp = &objects; *pp != obj; pp = &(*pp)->next)
			;
		object_drop(pp);
	}
	unlock();
	return err;
}

int staticcall_object_remove(struct staticcall_object *obj)
{
	struct staticcall_object **pp;

	lock();
	for (pp = &objects; *pp && *pp != obj; pp = &(*pp)->next)
		;
	if (!*pp) {
		unlock();
		return -ENOENT;
	}
	object_drop(pp);
	unlock();
	return 0;
}

/* ---- the key API ---- */

/*
 * Pushed patches of every key, newest first.  A key's effective target is
 * its newest patch, or its base target (what update/reset set) when it has
 * none; the base is kept in the key's oldest patch (->below) while patches
 * exist.  Each switch is one update of the key: never a window where a
 * site is unpatched.
 */
static struct staticcall_patch *patches;

static struct staticcall_patch *newest_patch(key_rec *p)
{
	struct staticcall_patch *q;

	for (q = patches; q; q = q->next)
		if (key_find((uintptr_t)q->key) == p)
			return q;
	return NULL;
}

/* The oldest pushed patch of key @p (it keeps the base), or NULL. */
static struct staticcall_patch *oldest_patch(key_rec *p)
{
	struct staticcall_patch *q, *oldest = NULL;

	for (q = patches; q; q = q->next)
		if (key_find((uintptr_t)q->key) == p)
			oldest = q;
	return oldest;
}

/* Retarget key @p's sites and record the target (lock held). */
static int retarget_locked(key_rec *p, uintptr_t target)
{
	int err;

	if (target == kr_target(p))
		return 0;
	if (!target && !(p->flags & STATICCALL_KEY_VOID))
		return -EINVAL;
	err = key_write(p, target, NULL, 1);
	if (!err)
		key_set_target(p, target);
	return err;
}

/*
 * A pointer key with no registered site (code built without the plugin):
 * the variable is the whole key.  It never holds NULL (calls through it
 * would crash): NULL is kept as the empty function and read back as NULL.
 */
#define VAR_KEYS	128
static struct {
	const void *key;
	void *deflt;
} var_defaults[VAR_KEYS];	/* each variable's value before the first write */
static int var_defaults_lost;

static void var_set(const void *key, void *target)
{
	unsigned int i;

	for (i = 0; i < VAR_KEYS && var_defaults[i].key != key; i++)
		if (!var_defaults[i].key) {
			var_defaults[i].key = key;
			var_defaults[i].deflt = *(void *const *)key;
			break;
		}
	if (i == VAR_KEYS)
		var_defaults_lost = 1;
	__atomic_store_n((void **)(uintptr_t)key,
			 (void *)target_fn((uintptr_t)target), __ATOMIC_RELEASE);
}

static void *var_get(const void *key)
{
	void *t = __atomic_load_n((void **)(uintptr_t)key, __ATOMIC_ACQUIRE);

	return t == (void *)(uintptr_t)staticcall_nop_target ? NULL : t;
}

int staticcall_update_key(const void *key, void *target, unsigned int kind)
{
	struct staticcall_patch *oldest;
	key_rec *p;
	int err;

	lock();
	p = key_find((uintptr_t)key);
	if (!p) {
		/* A pointer key with no sites: the variable is the whole key. */
		err = -ENOENT;
		if (kind & STATICCALL_KEY_FNPTR) {
			struct staticcall_patch *q, *oldest = NULL;

			for (q = patches; q; q = q->next)
				if (q->key == key)
					oldest = q;
			if (oldest)
				oldest->below = target;	/* stacked: the base */
			else
				var_set(key, target);
			err = 0;
		}
		unlock();
		return err;
	}
	/* the Linux API layer: NULL on a value key calls an empty function */
	if (!target && !(p->flags & STATICCALL_KEY_VOID) &&
	    (kind & STATICCALL_KIND_NULL_CALL))
		target = (void *)(uintptr_t)staticcall_nop_target;
	if (!target && !(p->flags & STATICCALL_KEY_VOID)) {
		unlock();
		staticcall_log("staticcall: key %s: NULL target for a key that returns a value",
			       staticcall_key_name(p));
		return -EINVAL;
	}
	oldest = patches ? oldest_patch(p) : NULL;
	if (oldest) {
		/* stacked: the base changes, the sites keep the newest patch */
		oldest->below = target;
		unlock();
		return 0;
	}
	err = retarget_locked(p, (uintptr_t)target);
	unlock();
	return err;
}

int staticcall_reset_key(const void *key, unsigned int kind)
{
	key_rec *p;

	lock();
	p = key_find((uintptr_t)key);
	if (!p && (kind & STATICCALL_KEY_FNPTR)) {
		/* no sites: back to the value before the runtime's first write */
		unsigned int i;

		for (i = 0; i < VAR_KEYS && var_defaults[i].key != key; i++)
			;
		unlock();
		if (i < VAR_KEYS)
			return staticcall_update_key(key, var_defaults[i].deflt,
						     kind);
		return var_defaults_lost ? -ENOSPC : 0;
	}
	unlock();
	if (!p)
		return -ENOENT;
	return staticcall_update_key(key, (void *)(uintptr_t)p->deflt, kind);
}

void *staticcall_query_key(const void *key, unsigned int kind)
{
	key_rec *p;
	void *t;

	lock();
	p = key_find((uintptr_t)key);
	if (p)
		t = (void *)kr_target(p);
	else if (kind & STATICCALL_KEY_FNPTR)
		t = var_get(key);
	else
		t = (void *)(uintptr_t)key;
	unlock();
	return t;
}

/* ---- batches ---- */

int staticcall_update_batch(const struct staticcall_retarget *v, unsigned int n)
{
	key_rec *p[STATICCALL_BATCH_MAX];
	int unaligned[STATICCALL_BATCH_MAX];
	unsigned int i, j;
	int err = 0, bp_any = 0;

	if (n > STATICCALL_BATCH_MAX)
		return -E2BIG;
	lock();
	for (i = 0; i < n; i++) {
		p[i] = key_find((uintptr_t)v[i].key);
		unaligned[i] = 0;
		/* a pointer key with no sites (p NULL): its variable alone */
		if (!p[i] && !(v[i].kind & STATICCALL_KEY_FNPTR))
			err = -ENOENT;
		if (p[i] && !v[i].target && !(p[i]->flags & STATICCALL_KEY_VOID))
			err = -EINVAL;
		for (j = 0; !err && j < i; j++)
			if (p[j] == p[i] && (p[i] || v[j].key == v[i].key))
				err = -EINVAL;	/* one key twice */
		if (err) {
			unlock();
			return err;
		}
	}
	/* validate and prepare veneers for every key before writing any */
	for (i = 0; i < n; i++) {
		if (!p[i])
			continue;
		err = key_check(p[i], (uintptr_t)v[i].target, NULL, 1, &unaligned[i]);
		if (err)
			break;
		bp_any |= unaligned[i];
	}
	if (!err && bp_any)
		err = plat->bp_prepare();
	for (j = 0; !err && j < n; j++) {
		err = p[j] ? key_windows(p[j], NULL, 0) : 0;
		if (err)
			while (j-- > 0)
				if (p[j])
					key_windows(p[j], NULL, 1);
	}
	if (err) {
		for (j = 0; j < n && j <= i; j++)
			if (p[j])
				key_undo_veneers(p[j], (uintptr_t)p[j]->runtime[KR_TARGET], NULL);
		unlock();
		return err;
	}
	for (i = 0; i < n; i++)
		if (p[i])
			key_store(p[i], (uintptr_t)v[i].target, NULL, unaligned[i]);
	for (i = 0; i < n; i++)
		if (p[i])
			key_windows(p[i], NULL, 1);
	sync_cores();	/* one round for the whole batch */
	for (i = 0; i < n; i++)
		if (p[i])
			key_set_target(p[i], (uintptr_t)v[i].target);
		else
			var_set(v[i].key, v[i].target);
	unlock();
	return 0;
}

/* ---- stacked targets ---- */

int staticcall_push_key(struct staticcall_patch *patch, const void *key,
			void *target, unsigned int kind)
{
	struct staticcall_patch *q;
	key_rec *p;
	int err;

	lock();
	p = key_find((uintptr_t)key);
	for (q = patches; q; q = q->next)
		if (q == patch)
			break;	/* already pushed */
	if (q || (!p && !(kind & STATICCALL_KEY_FNPTR))) {
		unlock();
		return -ENOENT;
	}
	patch->key = key;
	patch->target = target;
	patch->kind = kind;
	if (!p) {
		/* a pointer key with no sites: the variable alone */
		for (q = patches; q && q->key != key; q = q->next)
			;
		patch->below = q ? NULL : var_get(key);
		var_set(key, target);
		err = 0;
	} else {
		patch->below = newest_patch(p) ? NULL : (void *)kr_target(p);
		err = retarget_locked(p, (uintptr_t)target);
	}
	if (!err) {
		patch->next = patches;
		patches = patch;
	}
	unlock();
	return err;
}

int staticcall_pop(struct staticcall_patch *patch)
{
	struct staticcall_patch **pp, *q, *older = NULL;
	key_rec *p;
	uintptr_t target;
	int err;

	lock();
	for (pp = &patches; *pp && *pp != patch; pp = &(*pp)->next)
		;
	if (!*pp) {
		unlock();
		return -ENOENT;
	}
	p = key_find((uintptr_t)patch->key);
	/* the next older patch of the same key inherits the base */
	for (q = patch->next; q; q = q->next)
		if (q->key == patch->key) {
			older = q;
			break;
		}
	err = 0;
	target = older ? (uintptr_t)older->target : (uintptr_t)patch->below;
	if (p && newest_patch(p) == patch) {
		err = retarget_locked(p, target);
	} else if (!p && (patch->kind & STATICCALL_KEY_FNPTR)) {
		/* a pointer key with no sites: newest is the first of its key */
		for (q = patches; q->key != patch->key; q = q->next)
			;
		if (q == patch)
			var_set(patch->key, (void *)target);
	}
	if (!err) {
		if (!older) {
			/* patch was the oldest: pass the base to the oldest left */
			struct staticcall_patch *oldest = NULL;

			for (q = patches; q; q = q->next)
				if (q != patch && q->key == patch->key)
					oldest = q;
			if (oldest)
				oldest->below = patch->below;
		}
		*pp = patch->next;
		patch->next = NULL;
	}
	unlock();
	return err;
}

/* ---- unloading code that targets live in ---- */

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

	oldest = oldest_patch(p);
	if (oldest)
		base = (uintptr_t)oldest->below;
	for (pp = &patches; *pp;) {
		q = *pp;
		if (key_find((uintptr_t)q->key) != p) {
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
	oldest = oldest_patch(p);
	if (oldest)
		oldest->below = (void *)base;
	want = newest ? (uintptr_t)newest->target : base;
	if (want == cur || !live)
		return 0;
	staticcall_log("staticcall: key %s: target %p is in code being unloaded (%p..%p): now %p%s",
		       staticcall_key_name(p), (void *)cur, (void *)lo,
		       (void *)hi, (void *)want,
		       want == p->deflt ? " (its default)" : "");
	err = retarget_locked(p, want);
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
	lock();
	for (o = objects; o; o = o->next) {
		site_rec *s = o->start, *end = o->stop;

		while (s < end) {
			key_rec *k = staticcall_site_key(s), *p = kr_primary(k);
			uintptr_t before = kr_target(p);
			unsigned int n;
			int e;

			kr_run(k, &n);
			s += n ? n : 1;
			if (p != k)
				continue;	/* each key once, at its canonical record */
			e = key_unload(p, l, h);
			if (e && !err)
				err = e;
			if (kr_target(p) != before)
				moved++;
		}
	}
	/* patches stored there of keys gone already (their sites were there) */
	for (pp = &patches; *pp;) {
		struct staticcall_patch *q = *pp;

		if (in_range((uintptr_t)q, l, h)) {
			*pp = q->next;
			q->next = NULL;
			continue;
		}
		pp = &q->next;
	}
	unlock();
	return err ? err : moved;
}
