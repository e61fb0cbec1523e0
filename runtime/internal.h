/*
 * runtime/internal.h - what the files of the freestanding core share, and
 * nobody else (not installed).  doc/house.md maps the files.
 *
 * No libc, no allocation.  The tables are never written (they may sit in
 * read-only memory); state lives in storage the program already has:
 *   - each object's struct staticcall_object (caller-provided);
 *   - each object's index (staticcall_index, zero pages the plugin emits
 *     beside the table, or caller storage): built the first time any key
 *     is touched, a copy of the object's site records sorted by (key
 *     ident, site address) so that a key's sites in one object are one
 *     run; an update costs O(sites of the key).  Objects registered
 *     through the older entry points are their own index (the table is
 *     writable and sorted in place);
 *   - the four runtime words of each key record (abi.h), used as
 *       [KR_OBJ]     the object whose index holds this record's run
 *       [KR_NEXT]    next record of the same key (another object), a chain
 *                    that starts at the primary record
 *       [KR_RUN]     this object's sites of the key: low 32 bits the signed
 *                    offset from the record to the first site record of
 *                    the run in the index (after the key's definition
 *                    records, abi.h, which are in no run), bits 32..61 their number,
 *                    KR_RUN_PRIMARY set in the primary record
 *       [KR_TARGET]  primary record: the current target; any other: the
 *                    primary record
 *
 * Every function here is called with the updater lock held unless said
 * otherwise.
 */
#ifndef STATICCALL_RUNTIME_INTERNAL_H
#define STATICCALL_RUNTIME_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "staticcall.h"
#include "staticcall/abi.h"
#include "staticcall/arch.h"
#include "staticcall/platform.h"
#include "staticcall/log.h"

#define KR_OBJ		0
#define KR_NEXT		1
#define KR_RUN		2
#define KR_TARGET	3

#define KR_RUN_PRIMARY	(1ull << 63)
#define KR_RUN_MARK	(1ull << 62)	/* in the batch being checked (key.c) */
#define KR_RUN_COUNT(run)	((unsigned int)((run) >> 32) & 0x3fffffffu)

#define OBJ_TOC		0x2	/* obj->toc is set (staticcall_object_add_toc) */
#define OBJ_TABLES	0x4	/* added by staticcall_object_add_tables(): the
				   fields after toc exist */
#define OBJ_INDEXED	0x8	/* start/stop are the object's sorted index,
				   its runs linked into the keys' chains */
#define OBJ_PREPARE	0x10	/* some site needs sc_arch_prepare_site(): the
				   object is bound at registration */
#define OBJ_DEFERRED	0x20	/* staticcall_object_add_deferred(): the table
				   fields are set when obj->describe has run */
/* A refused object keeps its error in the high bits of state. */
#define OBJ_ERR_SHIFT	16

typedef struct staticcall_site_rec site_rec;
typedef struct staticcall_key_rec key_rec;

/*
 * The code a registration runs, kept beside the start-up code (ld places
 * .text.hot.* next to .text.startup, a kernel keeps it in its text): at
 * start-up it is then in pages the program faults in anyway.
 */
#define SC_REGISTRATION	__attribute__((section(".text.hot.staticcall")))

/*
 * Code that reads what an unchecked table points at, inside the object's
 * mapped ranges but maybe not inside any C object (a name offset gone
 * wrong lands in padding): the sanitizer build (scripts/sanitize) must not
 * call that a buffer overflow.
 */
#define SC_RAW_READ	__attribute__((no_sanitize_address))

/* ---- platform glue (glue.c) ---- */

extern const struct staticcall_platform *sc_plat;
void sc_lock(void);
void sc_unlock(void);
uintptr_t sc_page_size(void);
void sc_sync_cores(void);
/* Text windows: [start, start + len) widened to pages; close publishes
 * and returns the platform's text_close result (0, or: the stores of
 * the windows open together did not reach the text, put back). */
int sc_text_open(uintptr_t start, size_t len);
int sc_text_close(uintptr_t start, size_t len);
/*
 * The write view: where a store into the text at @a goes, inside a range
 * sc_text_open() opened.  The platform's writable view of the executing
 * address (text_alias: a second mapping), or @a itself.  Reads, decoding
 * and sc_arch_publish() stay on the executing address.
 */
void *sc_text_rw(uintptr_t a);
/* The platform's text_parked answer for @a (0 without the hook). */
int sc_text_parked(uintptr_t a);
/*
 * 1 when the site at @a is written with the trap protocol: one store
 * cannot write it (its bytes cross the aligned sc_arch.store_unit word:
 * sc_arch_needs_trap()), or the platform's stores there may arrive in
 * pieces (text_torn) and the back end has the protocol.  Inline: asked
 * of every site an update checks.
 */
int sc_site_torn(uintptr_t a);
/* [sc_torn_lo, sc_torn_lo + sc_torn_len): sites whose text_torn answer is
 * sc_torn_answer (one page's, kept while the lock is held; glue.c) */
extern uintptr_t sc_torn_lo, sc_torn_len;
extern int sc_torn_answer;
static inline int sc_site_needs_trap(uintptr_t a)
{
	unsigned int u = sc_arch.store_unit;

	if (!sc_arch.trap)
		return 0;
	if ((a & (u - 1)) + sc_arch.site_len > u)
		return 1;
	if (a - sc_torn_lo < sc_torn_len)
		return sc_torn_answer;
	return sc_site_torn(a);
}
/* For runtime/alt.c: write @len bytes at @dst (code no thread runs yet)
 * and publish them; lock taken here. */
int sc_core_text_write(uintptr_t dst, const void *src, size_t len);
/* One round of core synchronisation through the platform; lock taken. */
void sc_core_sync(void);

/* ---- records ---- */

static inline int kr_is_primary(const key_rec *k)
{
	return (k->runtime[KR_RUN] & KR_RUN_PRIMARY) != 0;
}

/* The primary record of @k's key (@k linked: k->runtime[KR_OBJ] set). */
static inline key_rec *kr_primary(const key_rec *k)
{
	if (kr_is_primary(k))
		return (key_rec *)k;
	return (key_rec *)(uintptr_t)k->runtime[KR_TARGET];
}

static inline key_rec *kr_next(const key_rec *k)
{
	return (key_rec *)(uintptr_t)k->runtime[KR_NEXT];
}

static inline site_rec *kr_run(const key_rec *k, unsigned int *count)
{
	uint64_t run = k->runtime[KR_RUN];

	*count = KR_RUN_COUNT(run);
	return (site_rec *)((uintptr_t)k + (intptr_t)(int32_t)(uint32_t)run);
}

/*
 * In an indexed object (each key's records point at one record, its
 * definition records first, then its run of sites): the first record of
 * the next key after @s.
 */
static inline site_rec *sc_index_next_key(site_rec *s, const site_rec *end)
{
	const key_rec *k = staticcall_site_key(s);

	while (++s < end && staticcall_site_key(s) == k)
		;
	return s;
}

static inline uintptr_t kr_target(const key_rec *k)
{
	return (uintptr_t)__atomic_load_n(&kr_primary(k)->runtime[KR_TARGET],
					  __ATOMIC_ACQUIRE);
}

/* ---- the table of one object (table.c) ---- */

/*
 * Build @o's index from its table: every record checked against @o's
 * mapped ranges before anything it points at is read (site bytes in
 * executable memory, key records in writable memory, names in mapped
 * memory), key records of this format, unlinked, well formed; then the
 * records copied into the index (or the table itself, sorted in place)
 * sorted by (key ident, site address).  Sets o->start/stop to the index
 * and the site span.  A refusal is logged; nothing is written but the
 * index.
 */
int sc_table_index(struct staticcall_object *o);
/*
 * 1 when @a may be the variable of a pointer key of @o's table: 8 bytes
 * of writable memory of @o or of another registered object (any address
 * when one of them was registered without ranges), in no object's index.
 * Checked for every record before the index is built.
 */
int sc_table_var_ok(const struct staticcall_object *o, uintptr_t a);
/*
 * A site of the key @ident (primary @p, NULL: no registered site) that
 * a record of @o's table (a refused object's) names and no registered
 * record of the key writes: left behind; 0 when none.  Each record is
 * checked as the index checks it before its key record is read (a
 * record whose key record is bad names no key); a "site" outside @o's
 * executable memory is none.
 */
uintptr_t sc_table_left_behind(const struct staticcall_object *o,
			       uint64_t ident, key_rec *p);
/* 1 when a site of @o's table (checked against its ranges first) needs
 * sc_arch_prepare_site(); a site outside them is left to the index.
 * 0 without reading the table or the text when @o's ranges count a
 * staticcall_prepared byte per record (the plugin prepared them all). */
int sc_table_needs_prepare(const struct staticcall_object *o);

/* ---- objects (objects.c) ---- */

extern struct staticcall_object *sc_objects;
/* Take objects registered without the lock into sc_objects (lock held). */
void sc_objects_drain(void);
/*
 * The primary record of the key @ident, or NULL (no registered site).
 * Indexes every registered object not indexed yet first (at most once
 * per object, the first time any key is touched).
 */
key_rec *sc_key_find(uint64_t ident);
/* The object holding @k's run of sites. */
static inline struct staticcall_object *sc_object_of_key(const key_rec *k)
{
	return (struct staticcall_object *)(uintptr_t)k->runtime[KR_OBJ];
}
/* 1 once any key has been touched (objects are indexed from then on). */
extern int sc_touched;
/*
 * An object refused after its table was recorded (a bad record, or its
 * sites could not be brought to their keys' targets) leaves its sites
 * behind until it is removed: an update of the key @key (primary @p,
 * NULL: no registered site) with a site there that no registered record
 * writes is refused (-EINVAL, logged) rather than 0; else 0.
 */
int sc_key_left_behind(const void *key, key_rec *p);
/* Refused objects whose struct or table lies in [@lo, @hi) are forgotten
 * (that memory is being unmapped: staticcall_unload_range). */
void sc_refused_forget_range(uintptr_t lo, uintptr_t hi);

/*
 * The runs of key @primary's sites, one object at a time, only @scope's
 * when @scope is not NULL: start with r->k = NULL; while it returns 1, r
 * describes the next run (r->veneer: the key's veneer in r->o, or 0).
 */
struct sc_run {
	key_rec *k;
	struct staticcall_object *o;
	site_rec *s;
	unsigned int n;
	uintptr_t veneer;
};
int sc_run_next(key_rec *primary, struct staticcall_object *scope,
		struct sc_run *r);

/* ---- veneers (veneer.c) ---- */

#define VENEER_SLOT	(sc_arch.veneer_size)
/* Bytes of veneer area for an object with @nkeys keys. */
size_t sc_veneer_area_size(size_t nkeys);
/* The veneer slot that @k's sites in @o use, or 0. */
uintptr_t sc_veneer_find(const struct staticcall_object *o, const key_rec *k);
/* The target word a live veneer at @v branches through. */
static inline uintptr_t sc_veneer_word(uintptr_t v)
{
	return *(uintptr_t *)(v + VENEER_SLOT - 8);
}
/* Point @k's veneer in @o at @fn, taking a slot (and mapping the area) if
 * it has none.  A live veneer changes with one atomic store. */
int sc_veneer_set(struct staticcall_object *o, const key_rec *k, uintptr_t fn);
void sc_veneer_unmap(struct staticcall_object *o);

/* ---- targets and the instruction of a site (write.c) ---- */

/* NULL: an empty function; __static_call_return0: return 0 (key.c). */
void staticcall_nop_target(void);

/* The function a site of @target branches to when it branches at all. */
static inline uintptr_t sc_target_fn(uintptr_t target)
{
	return target ? target : (uintptr_t)staticcall_nop_target;
}
/* The instruction a site of @o needs for @target: inline, direct, or
 * through @veneer (sc_veneer_find(), 0: none). */
int sc_site_insn(const struct staticcall_object *o, uintptr_t veneer,
		 uintptr_t site, unsigned int flags, uintptr_t target,
		 struct sc_insn *insn);

/* ---- the write plan (write.c) ---- */

/*
 * One key of a write plan: the sites of @primary go to @target.  A pointer
 * key without sites has @primary NULL and @var its variable: the plan
 * writes the variable alone (varkey.c).
 */
struct sc_write {
	key_rec *primary;
	const void *var;
	uintptr_t target;
	int trap;		/* set by the check: some site needs the trap protocol */
	int debug;		/* set by the check: some site holds a debugger's trap */
	int loose;		/* set by the check: a site whose instruction does not
				   change does not hold it exactly (write.c) */
	int keep;		/* set by the check: some site's instruction does
				   not change (left alone unless loose) */
};

#define SC_PLAN_CHECK	0x1	/* validate only: write nothing */
#define SC_PLAN_COMMIT	0x2	/* record each key's new target */

/*
 * What one update writes: @n keys, in every object or only in @scope (an
 * object being registered: its sites are prepared first, the targets
 * stay).  sc_plan_run() carries them all through check (every site of
 * every key valid before anything is written), prepare (veneers written
 * and published before any site points at them), open (every text window,
 * so an OS refusal changes nothing), store, close, and one round of core
 * synchronisation; then (SC_PLAN_COMMIT) the targets are recorded.  On
 * failure nothing is left changed.
 */
struct sc_plan {
	struct sc_write *w;
	unsigned int n;
	struct staticcall_object *scope;
	unsigned int flags;
	/* @w NULL: the keys are @v[0..n) (a batch of any size, each key
	 * looked up again at every step: nothing is allocated) */
	const struct staticcall_retarget *v;
};
int sc_plan_run(struct sc_plan *plan);
/* Write @i of @plan into *@w (w->trap cleared; write.c). */
void sc_plan_write(const struct sc_plan *plan, unsigned int i,
		   struct sc_write *w);
/* Key @i of @plan into *@w (key.c). */
void sc_plan_key(const struct sc_plan *plan, unsigned int i, struct sc_write *w);

/* A site of an object being registered (@scope) is prepared before its
 * first store (sc_arch_prepare_site); other sites were prepared then. */
static inline void sc_site_prepare(const struct staticcall_object *scope,
				   uintptr_t a, unsigned int flags)
{
	if (scope)
		sc_arch_prepare_site(a, sc_text_rw(a), flags);
}

/* ---- keys (key.c) ---- */

/* Retarget key @p and record the target: a plan of one key. */
int sc_key_retarget(key_rec *p, uintptr_t target);
/* The key's new target, and the pointer variable of a pointer key. */
void sc_key_set_target(key_rec *p, uintptr_t target);
/* Retarget the key @key (primary @p, or NULL: a pointer key without
 * sites, its variable) ignoring pushed patches. */
int sc_key_set(const void *key, key_rec *p, void *target);
/* staticcall_update_key() with the lock held (static_call.c). */
int sc_key_update(const void *key, void *target, unsigned int kind);

/* ---- pointer keys without sites (varkey.c) ---- */

void sc_var_set(const void *key, void *target);
void *sc_var_get(const void *key);
/* The variable's value before the runtime's first write: 0 and *@deflt,
 * or -ENOENT (never written) or -ENOSPC (forgotten: table full). */
int sc_var_default(const void *key, void **deflt);

/* ---- stacks (stack.c) ---- */

extern struct staticcall_patch *sc_patches;
/* The newest / oldest pushed patch of the key @key (primary @p, NULL for a
 * pointer key without sites), or NULL. */
struct staticcall_patch *sc_patch_newest(const void *key, key_rec *p);
struct staticcall_patch *sc_patch_oldest(const void *key, key_rec *p);

#endif /* STATICCALL_RUNTIME_INTERNAL_H */
