/*
 * staticcall/linux.h - the Linux kernel's static_call API on staticcall keys.
 *
 * Code written for <linux/static_call.h> compiles unchanged with
 * #include <staticcall/linux.h> and behaves the same:
 *
 *   int func_a(int x);
 *   DEFINE_STATIC_CALL(sc, func_a);           a key, current target func_a
 *   static_call(sc)(1);                       calls func_a
 *   static_call_update(sc, func_b);           now calls func_b
 *   static_call_query(sc)                     -> func_b
 *   DEFINE_STATIC_CALL_NULL(hook, hook_fn);   target NULL (type of hook_fn)
 *   static_call_cond(hook)(args);             does nothing while NULL
 *   DEFINE_STATIC_CALL_RET0(r, r_fn);         target __static_call_return0
 *   DECLARE_STATIC_CALL(sc, func_a);          in a header, for other units
 *   EXPORT_STATIC_CALL(sc); EXPORT_STATIC_CALL_GPL(sc);   no-ops here
 *
 * How a name maps onto staticcall.  DEFINE_STATIC_CALL(name, f) defines
 *   __SCK__name   a function pointer holding the current target (never
 *                 NULL: NULL is kept as the runtime's empty function), and
 *   __SCT__name   a trampoline (assembly, below) that jumps through it.
 * With the plugin (__STATICCALL__ defined) __SCT__name is declared
 * __attribute__((static_call)): static_call(name)(...) is a site of the
 * function key __SCT__name, a direct call to the current target once the
 * object is registered (DEFINE's constructor binds the sites to the initial
 * target; before that they call the trampoline, which is correct).  Without
 * the plugin (gcc without -fplugin, clang) static_call(name)(...) is an
 * indirect call through __SCK__name: slower, never wrong.  A program may mix
 * units built both ways: static_call_update() writes the pointer and patches
 * the sites of the key (when there are none, -ENOENT from the core is not an
 * error here), under one lock so both always agree.
 *
 * NULL: static_call_update(name, NULL) on a key returning void makes each
 * site a no-op of the same length (arguments still evaluated); on a key
 * returning a value, sites call an empty function (the kernel's x86
 * semantics: the result is undefined, use static_call_cond() only with void
 * keys).  static_call_query() then returns NULL.  __static_call_return0 as a
 * target returns 0 (inline where the CPU allows, see doc/runtime.md).
 *
 * Differences from the kernel: static_call_update() yields 0 or a negative
 * errno (the kernel's is void; ignoring it is fine); EXPORT_STATIC_CALL*,
 * static_call_mod(), static_call_ro() and the _RO/_TRAMP variants are plain
 * aliases since user space has no module symbol export; static_call_init()
 * and static_call_text_reserved() return 0.  Names are global symbols: DEFINE in
 * one unit, DECLARE in a header.  Supported on x86-64, aarch64 and
 * powerpc64le (the trampoline is assembly).
 */
#ifndef STATICCALL_LINUX_H
#define STATICCALL_LINUX_H

#include <staticcall.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The runtime's empty function: what a NULL target runs when it is called. */
void staticcall_nop_target(void);

/*
 * Retarget the key of trampoline @tramp and its pointer @ptr to @func (NULL,
 * __static_call_return0 or a function).  0 or a negative errno
 * (staticcall.h); nothing changes on error.
 */
int staticcall_linux_update(void *tramp, void **ptr, void *func);

static inline void *staticcall_linux_query(void *const *ptr)
{
	void *f = __atomic_load_n(ptr, __ATOMIC_ACQUIRE);

	return f == (void *)(uintptr_t)staticcall_nop_target ? (void *)0 : f;
}

#ifdef __cplusplus
}
#endif

#define STATIC_CALL_KEY(name)		__SCK__##name
#define STATIC_CALL_TRAMP(name)		__SCT__##name
#define __STATIC_CALL_STR(x)		#x
#define STATIC_CALL_KEY_STR(name)	__STATIC_CALL_STR(__SCK__##name)
#define STATIC_CALL_TRAMP_STR(name)	__STATIC_CALL_STR(__SCT__##name)

/* ---- the trampoline: jump through __SCK__name, arguments untouched ---- */

#if defined(__x86_64__)
# if defined(__CET__) && (__CET__ & 1)
#  define __SC_LINUX_LANDING	"endbr64\n\t"
# else
#  define __SC_LINUX_LANDING	""
# endif
/* r11: call-clobbered and never an argument (al may carry the SSE count) */
# define __SC_LINUX_TRAMP_BODY(tramp, key)				\
	__SC_LINUX_LANDING						\
	"movq " key "@GOTPCREL(%rip), %r11\n\t"				\
	"jmp *(%r11)\n\t"
#elif defined(__aarch64__)
/* x16: the intra-procedure-call register, accepted by BTI "c" pads */
# define __SC_LINUX_TRAMP_BODY(tramp, key)				\
	"hint 34\n\t"			/* bti c */			\
	"adrp x16, :got:" key "\n\t"					\
	"ldr x16, [x16, #:got_lo12:" key "]\n\t"			\
	"ldr x16, [x16]\n\t"						\
	"br x16\n\t"
#elif defined(__powerpc64__) && defined(_CALL_ELF) && _CALL_ELF == 2
/*
 * Global entry computes this object's TOC; the target is entered at its
 * global entry with r12 set, so it computes its own.  The caller restores
 * r2 as for any global call (a plugin site always does: doc/arch-powerpc64.md).
 */
# define __SC_LINUX_TRAMP_BODY(tramp, key)				\
	"0: addis 2,12,.TOC.-0b@ha\n\t"					\
	"addi 2,2,.TOC.-0b@l\n\t"					\
	".localentry " tramp ",.-" tramp "\n\t"				\
	"addis 12,2," key "@got@ha\n\t"					\
	"ld 12," key "@got@l(12)\n\t"					\
	"ld 12,0(12)\n\t"						\
	"mtctr 12\n\t"							\
	"bctr\n\t"
#else
# error "staticcall/linux.h: no trampoline for this CPU (x86-64, aarch64, powerpc64le)"
#endif

#define __SC_LINUX_TRAMP(tramp, key)					\
	__asm__(".pushsection .text." tramp ",\"ax\",@progbits\n\t"	\
		".globl " tramp "\n\t"					\
		".type " tramp ",@function\n\t"				\
		".p2align 4\n"						\
		tramp ":\n\t"						\
		__SC_LINUX_TRAMP_BODY(tramp, key)			\
		".size " tramp ",.-" tramp "\n\t"			\
		".popsection")

/* ---- declarations ---- */

#ifdef __STATICCALL__
# define __SC_LINUX_KEY_ATTR	__attribute__((static_call))
#else
# define __SC_LINUX_KEY_ATTR
#endif

/* C linkage: the trampoline's assembly names the pointer unmangled */
#ifdef __cplusplus
# define __SC_LINUX_EXTERN	extern "C"
#else
# define __SC_LINUX_EXTERN	extern
#endif

#define DECLARE_STATIC_CALL(name, func)					\
	__SC_LINUX_EXTERN __typeof__(func) *STATIC_CALL_KEY(name);	\
	__SC_LINUX_EXTERN __typeof__(func) STATIC_CALL_TRAMP(name)	\
		__SC_LINUX_KEY_ATTR

/*
 * The constructor binds the name's sites to its initial target right after
 * registration (priority 101), as the kernel's sites call the function
 * from the start; without it they would reach it through the trampoline
 * until the first update.  Objects registered later (the program after
 * its libraries, dlopen) get the bound target from the core.  A failure
 * leaves the trampoline, which is correct.
 */
#define __DEFINE_STATIC_CALL(name, func, init)				\
	DECLARE_STATIC_CALL(name, func);				\
	__typeof__(func) *STATIC_CALL_KEY(name) = (init);		\
	__SC_LINUX_TRAMP(STATIC_CALL_TRAMP_STR(name), STATIC_CALL_KEY_STR(name)); \
	__attribute__((constructor(102), used))				\
	static void __sc_linux_bind_##name(void)			\
	{								\
		staticcall_linux_update(				\
			(void *)(uintptr_t)&STATIC_CALL_TRAMP(name),	\
			(void **)&STATIC_CALL_KEY(name),		\
			staticcall_linux_query(				\
				(void *const *)&STATIC_CALL_KEY(name))); \
	}								\
	__SC_LINUX_EXTERN __typeof__(func) *STATIC_CALL_KEY(name)

#define DEFINE_STATIC_CALL(name, func)					\
	__DEFINE_STATIC_CALL(name, func, &(func))
#define DEFINE_STATIC_CALL_NULL(name, func)				\
	__DEFINE_STATIC_CALL(name, func,				\
		(__typeof__(func) *)(uintptr_t)staticcall_nop_target)
#define DEFINE_STATIC_CALL_RET0(name, func)				\
	__DEFINE_STATIC_CALL(name, func,				\
		(__typeof__(func) *)(uintptr_t)__static_call_return0)
#define DEFINE_STATIC_CALL_RO(name, func)	DEFINE_STATIC_CALL(name, func)

/* User space has no module symbol export: documented no-ops. */
#define EXPORT_STATIC_CALL(name)
#define EXPORT_STATIC_CALL_GPL(name)
#define EXPORT_STATIC_CALL_TRAMP(name)
#define EXPORT_STATIC_CALL_TRAMP_GPL(name)

/* ---- calls ---- */

#ifdef __STATICCALL__
# define static_call(name)	(STATIC_CALL_TRAMP(name))
#else
# define static_call(name)						\
	(*(__typeof__(&STATIC_CALL_TRAMP(name)))			\
	 __atomic_load_n(&STATIC_CALL_KEY(name), __ATOMIC_RELAXED))
#endif
/* A NULL target is a no-op at a site and the empty function otherwise. */
#define static_call_cond(name)	(void)static_call(name)
#define static_call_mod(name)	static_call(name)
#define static_call_ro(name)	static_call(name)
#define STATIC_CALL_TRAMP_ADDR(name)	(&STATIC_CALL_TRAMP(name))

/* The kernel's boot and kprobe hooks: registration is automatic here. */
static inline int static_call_init(void)
{
	return 0;
}

static inline int static_call_text_reserved(void *start, void *end)
{
	(void)start;
	(void)end;
	return 0;
}

/* ---- retargeting ---- */

/* Like the kernel: @func must convert to the key's type (NULL, void * too). */
#define static_call_update(name, func)	__extension__ ({		\
	__typeof__(&STATIC_CALL_TRAMP(name)) __sc_f = (func);		\
	staticcall_linux_update((void *)(uintptr_t)&STATIC_CALL_TRAMP(name), \
				(void **)&STATIC_CALL_KEY(name),	\
				(void *)(uintptr_t)__sc_f);		\
})

#define static_call_query(name)						\
	((__typeof__(&STATIC_CALL_TRAMP(name)))(uintptr_t)		\
	 staticcall_linux_query((void *const *)&STATIC_CALL_KEY(name)))

#endif /* STATICCALL_LINUX_H */
