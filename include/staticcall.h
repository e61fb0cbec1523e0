/*
 * staticcall.h - the user API of staticcall: retarget patchable call sites.
 *
 *   uint32_t crc32_sw(const void *p, size_t n) __attribute__((static_call));
 *   ...
 *   staticcall_update(crc32_sw, crc32_hw);   calls to crc32_sw now call crc32_hw
 *   staticcall_query(crc32_sw)               -> crc32_hw
 *   staticcall_reset(crc32_sw);              back to crc32_sw
 *
 * A key is named by the function that is its default target, or by a
 * function-pointer variable declared with __attribute__((static_call)); the
 * runtime identifies both by their address, so the macros take either.  A
 * target of another type than the key is a compile-time error.  For a
 * function-pointer key the variable always holds the current target: the
 * runtime writes it, the program must not (the plugin refuses assignments).
 *
 * Without the plugin (gcc without -fplugin, clang) this header compiles
 * unchanged: a function-pointer key is called indirectly through its
 * variable and every call below still works on it (the runtime writes the
 * variable); a function key is a plain function whose calls nobody can
 * redirect, so updating it is -ENOENT.  See doc/semantics.md.
 *
 * Every int result is 0 or a negative errno:
 *   -ENOENT  no registered object defines that (function) key or has
 *            sites of it (its unit built without the plugin, or its
 *            object not loaded yet; logged the first time).  A key a
 *            loaded object defines is known without sites: the update
 *            is kept and objects loaded later start on it.
 *   -EINVAL  a site's bytes are not what the runtime or the linker wrote,
 *            or a refused object (staticcall_object_status()) has a
 *            site of the key that no registered record writes, which
 *            would be left behind (reported through the log hook,
 *            nothing written): an update never returns 0 while a site
 *            of its key stays behind
 *   -ERANGE  a target out of direct reach with no room for a veneer
 *   -EPERM   the OS refuses to make text writable (W^X policy, SELinux
 *            execmem, MemoryDenyWriteExecute): nothing written
 * Every failure leaves every site as it was and no text writable.
 *
 * When staticcall_update() returns, every later call by any thread goes to
 * the new target; while it runs, calls go to the old or the new one.
 *
 * Hosted programs register each executable and shared object automatically
 * (staticcall-object.o, in pkg-config's Libs).  Kernels and boot code use the
 * freestanding object API below with storage they own.
 */
#ifndef STATICCALL_H
#define STATICCALL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
template <typename A, typename B> struct __staticcall_same { enum { value = 0 }; };
template <typename A> struct __staticcall_same<A, A> { enum { value = 1 }; };
extern "C" {
#endif

/* ---- generic entry points (the macros below are the type-checked API) ---- */

/*
 * @key: address of the default function or of the function-pointer
 * variable; @kind: STATICCALL_KIND_FNPTR for a variable, else 0 (lets a
 * pointer key with no registered site still be updated and queried: the
 * variable alone is then the key).
 */
#define STATICCALL_KIND_FNPTR	0x1	/* == STATICCALL_KEY_FNPTR (abi.h) */
/* NULL for a key returning a value calls an empty function instead of
 * failing with -EINVAL (the Linux API's semantics: the result is undefined) */
#define STATICCALL_KIND_NULL_CALL	0x2
int staticcall_update_key(const void *key, void *target, unsigned int kind);
int staticcall_reset_key(const void *key, unsigned int kind);
void *staticcall_query_key(const void *key, unsigned int kind);

/*
 * Batch: retarget several keys with one round of core synchronisation,
 * all or nothing (every site of every key validated first).  Any number
 * of keys, each once; nothing is allocated.
 */
struct staticcall_retarget {
	const void *key;	/* as for staticcall_update_key() */
	void *target;
	unsigned int kind;
};
int staticcall_update_batch(const struct staticcall_retarget *v, unsigned int n);

/*
 * Stacked targets (the livepatch function stack), in caller storage: the
 * key's effective target is its newest pushed patch, or its base target
 * when none is left.  Popping any patch is allowed: popping the newest
 * switches to the next newest (or the base); popping an older one changes
 * nothing that runs.  staticcall_update()/reset() while patches are pushed
 * change the base only.  Pushing a patch twice is -ENOENT.
 */
struct staticcall_patch {
	struct staticcall_patch *next;	/* private */
	const void *key;
	void *target;
	void *below;			/* private: the base, in the oldest */
	unsigned int kind;		/* private: as given to push */
};
int staticcall_push_key(struct staticcall_patch *patch, const void *key,
			void *target, unsigned int kind);
int staticcall_pop(struct staticcall_patch *patch);

/* ---- objects: a set of sites registered together ---- */

struct staticcall_tables;

/*
 * One loaded object (executable, shared object, kernel module).  The caller
 * owns the storage and keeps it alive until staticcall_object_remove(); the
 * fields are private to the runtime.
 */
struct staticcall_object {
	struct staticcall_object *next;
	void *start, *stop;		/* its table, then its sorted index */
	uintptr_t text_lo, text_hi;	/* lowest and highest site */
	uintptr_t veneers;		/* veneer area (executing address) or 0 */
	size_t veneers_size;
	unsigned int state;
	/*
	 * powerpc64: the object's TOC pointer (r2 in its code), set by
	 * staticcall_object_add_toc() only (staticcall_object_add() never
	 * touches it, so a struct from an older header stays valid).
	 */
	uintptr_t toc;
	/* Written by staticcall_object_add_tables() only (same reason). */
	void *index, *index_stop;
	const struct staticcall_range *ranges;
	unsigned int nranges;
	/* Registered (queued or listed): a mark derived from the address. */
	uintptr_t live;
	/* Set by staticcall_object_add_deferred() only (same reason). */
	int (*describe)(struct staticcall_object *obj,
			struct staticcall_tables *tables);
	/* From the tables' prepared count (add_tables, add_deferred only). */
	size_t prepared;
};

/* One mapped range of an object's image and what it may be used for. */
#define STATICCALL_RANGE_R	0x1	/* readable: key names */
#define STATICCALL_RANGE_W	0x2	/* writable: key records */
#define STATICCALL_RANGE_X	0x4	/* executable: sites */
struct staticcall_range {
	uintptr_t lo, hi;		/* [lo, hi) */
	unsigned int prot;		/* STATICCALL_RANGE_* */
};

/*
 * Where an object's tables are (staticcall_object_add_tables()):
 *   sites   its staticcall_sites section (never written: may be read-only)
 *   index   writable storage the runtime owns from now on, zero-filled,
 *           8 bytes per site record (the object's staticcall_index
 *           section); NULL: the table is writable and is sorted in place
 *   ranges  the object's mapped memory (for a hosted object its PT_LOAD
 *           segments): every offset of the table is checked against them
 *           before it is followed; the array stays the caller's and must
 *           live as long as the object.  @nranges 0: nothing is checked.
 *   toc     as for staticcall_object_add_toc()
 *   prepared  how many records' sites the plugin prepared at compile time
 *           (the size of the object's staticcall_prepared section); as
 *           many as records: registration need not read the text
 *           (powerpc64).  0: unknown.
 */
struct staticcall_tables {
	void *sites_start, *sites_stop;
	void *index_start, *index_stop;
	const struct staticcall_range *ranges;
	unsigned int nranges;
	uintptr_t toc;
	size_t prepared;
};

/*
 * Register an object: O(1), the table is only recorded.  It is read, its
 * records checked and its index built the first time any key is updated,
 * reset, pushed or queried (or at once when that has happened already:
 * then sites of keys already updated are brought to their current target
 * before this returns).  Freestanding: allocates nothing (a veneer area
 * is mapped through the platform only when a far target needs one).  A
 * table found bad is refused as a whole (logged, nothing written): the
 * object's calls keep their default targets and
 * staticcall_object_status() says why.
 */
int staticcall_object_add_tables(struct staticcall_object *obj,
				 const struct staticcall_tables *tables);
/*
 * staticcall_object_add_tables() with the tables described later: start-up
 * only queues @obj (a few stores, no lock).  @describe fills *@tables
 * (zeroed first) once, when the runtime first needs the object: at the
 * first touch of any key, or at once when a key was touched already (and
 * on a CPU where registration may have to prepare sites, powerpc64, also
 * at once, then without the lock).  At the first touch it runs with the
 * runtime's lock held: it must not call the API.  A negative return
 * refuses the object with that error.  This is what staticcall-object.o
 * registers a hosted object with.
 */
int staticcall_object_add_deferred(struct staticcall_object *obj,
				   int (*describe)(struct staticcall_object *obj,
						   struct staticcall_tables *tables));
/*
 * The older entry points: [@sites_start, @sites_stop) is writable and is
 * its own index (sorted in place), no range is checked.
 */
int staticcall_object_add(struct staticcall_object *obj,
			  void *sites_start, void *sites_stop);
/*
 * staticcall_object_add() for an object whose TOC pointer (powerpc64: r2
 * as its code sees it) is @toc: sites the plugin marked
 * STATICCALL_SITE_TOC_SAVED then call targets that share that TOC (or
 * need none) with a direct bl to their local entry instead of a veneer.
 * @toc 0: unknown, the same as staticcall_object_add().  Other CPUs ignore
 * @toc.
 */
int staticcall_object_add_toc(struct staticcall_object *obj,
			      void *sites_start, void *sites_stop,
			      uintptr_t toc);
/* Forget the object's sites; its veneer area is unmapped. */
int staticcall_object_remove(struct staticcall_object *obj);
/*
 * 0 when @obj's sites follow their keys; else why not, a negative errno
 * (logged when it happened): its table was refused (-EINVAL, -EBUSY: its
 * key records are another object's, -E2BIG, -ENOSPC: index too small), or
 * at registration its sites of a key already updated could not be brought
 * to the key's target (the write's error, e.g. -EPERM).  Such an object
 * is not registered: its calls keep their default targets, and an update
 * of a key it has a site of (as far as its records name their keys)
 * that no registered record writes is -EINVAL, nothing written, until
 * the object is removed (staticcall_object_remove(), -ENOENT for it,
 * forgets it) or registered again.
 */
int staticcall_object_status(const struct staticcall_object *obj);
/*
 * 0, or the error of the first object refused since the process started
 * (staticcall_object_status()); indexes every registered object first,
 * so a bad table is found now rather than at the first update.
 */
int staticcall_status(void);
/*
 * The memory [@lo, @hi) (an object's whole image, text and data) is about
 * to be unmapped: every key whose current target, base target or pushed
 * patch lies there, or whose patch is stored there, falls back first
 * (logged) so that no site points into unmapped memory: such patches are
 * dropped (a later staticcall_pop() of one is -ENOENT), a base target
 * there becomes the key's default, and a log hook there is cleared.  Hosted objects call it from
 * staticcall-object.o at dlclose(); a module loader calls it after
 * staticcall_object_remove() and before freeing the module.  Returns the
 * number of keys moved or a negative errno.
 */
int staticcall_unload_range(const void *lo, const void *hi);

/* ---- diagnostics ---- */

/* Where the runtime reports refused sites and OS refusals (one line each,
 * no trailing newline).  Hosted default: stderr.  Returns the previous hook. */
typedef void (*staticcall_log_fn)(const char *msg);
staticcall_log_fn staticcall_set_log(staticcall_log_fn fn);

/* ---- type-checked API ---- */

/* The function-pointer type of a key, whether it is a function or a pointer. */
#define staticcall_fn_type(key)	__typeof__(&*(key))

#define __staticcall_key_addr(key)	((const void *)(uintptr_t)&(key))

#ifndef __cplusplus
#define __staticcall_kind(key)						\
	(__builtin_types_compatible_p(__typeof__(key),			\
				      staticcall_fn_type(key)) ?	\
	 STATICCALL_KIND_FNPTR : 0)
/* A target of another type is an error at the call (the selector is the
 * caller's own token), even under -w; __staticcall_target's names both types. */
#define __staticcall_check(key, fn)					\
	((void)__extension__ _Generic(fn, staticcall_fn_type(key): 0))
#else
/* *& because g++ cannot take __typeof__ of a template-id (f<int>) */
#define __staticcall_kind(key)						\
	(__staticcall_same<__typeof__(*&(key)), staticcall_fn_type(key)>::value ? \
	 STATICCALL_KIND_FNPTR : 0)
#define __staticcall_check(key, fn)					\
	static_assert(__staticcall_same<staticcall_fn_type(key),	\
					__typeof__(&*(fn))>::value,	\
		      "staticcall: the target's type differs from the key's")
#endif

/*
 * @fn as the key's type in @var: a target of another type is diagnosed at
 * the call, naming both types (C: the incompatible-pointer initialisation
 * warning, beside __staticcall_check's error; C++: the conversion error).
 * @fn stands bare so that the diagnostic is located at the caller's token.
 * No _Pragma here: a preprocessed unit (distcc, ccache's direct mode off)
 * would then get other line numbers than the unit compiled whole, and
 * its objects would differ (scripts/repro).
 */
#define __staticcall_target(key, fn, var)				\
	staticcall_fn_type(key) var = fn;

#define staticcall_update(key, fn)	__extension__ ({		\
	__staticcall_check(key, fn);					\
	__staticcall_target(key, fn, __staticcall_t)			\
	staticcall_update_key(__staticcall_key_addr(key),		\
			      (void *)(uintptr_t)__staticcall_t,	\
			      __staticcall_kind(key));			\
})

/*
 * Targets that are not functions: NULL for a key returning void (each call
 * does nothing, its arguments still evaluated; a tail site returns), and
 * __static_call_return0 (each call yields 0 without calling, where the CPU
 * allows it inline).  staticcall_query() then returns NULL or
 * __static_call_return0.  NULL for a key that returns a value is -EINVAL.
 */
long __static_call_return0(void);

#define staticcall_push(patch, key, fn)	__extension__ ({		\
	__staticcall_check(key, fn);					\
	__staticcall_target(key, fn, __staticcall_t)			\
	staticcall_push_key((patch), __staticcall_key_addr(key),	\
			    (void *)(uintptr_t)__staticcall_t,		\
			    __staticcall_kind(key));			\
})

#ifndef __cplusplus
/* One entry of a batch, type-checked like staticcall_update(). */
#define STATICCALL_RETARGET(key, fn)					\
	((struct staticcall_retarget){					\
		__staticcall_key_addr(key),				\
		((void)sizeof(struct { int __c[__builtin_types_compatible_p( \
			staticcall_fn_type(key), __typeof__(&*(fn))) ? 1 : -1]; }), \
		 (void *)(uintptr_t)&*(fn)),				\
		__staticcall_kind(key) })
#endif

#define staticcall_update_null(key)					\
	staticcall_update_key(__staticcall_key_addr(key), (void *)0,	\
			      __staticcall_kind(key))
#define staticcall_update_ret0(key)					\
	staticcall_update_key(__staticcall_key_addr(key),		\
			      (void *)(uintptr_t)__static_call_return0,	\
			      __staticcall_kind(key))

#define staticcall_reset(key)						\
	staticcall_reset_key(__staticcall_key_addr(key), __staticcall_kind(key))

#define staticcall_query(key)						\
	((staticcall_fn_type(key))(uintptr_t)				\
	 staticcall_query_key(__staticcall_key_addr(key),		\
			      __staticcall_kind(key)))

#ifdef __cplusplus
}
#endif

#endif /* STATICCALL_H */
