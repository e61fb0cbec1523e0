/* The parts of Linux 6.1's include/linux/static_call{,_types}.h that a
   call site sees when CONFIG_HAVE_STATIC_CALL_INLINE is set.  */
struct static_call_key { void *func; };
#define DECLARE_STATIC_CALL(name, func) \
  extern struct static_call_key __SCK__##name; \
  extern __typeof__ (func) __SCT__##name
#define __ADDRESSABLE(sym) \
  static void *__attribute__ ((section (".discard.addressable"), used)) \
    __addressable_##sym = (void *) &sym;
#ifdef CONFIG_HAVE_STATIC_CALL_INLINE
#define static_call(name) \
  ({ __ADDRESSABLE (__SCK__##name); &__SCT__##name; })
#else
#define static_call(name) (&__SCT__##name)
#endif
/* a module's call that may not update the key: no reference to it */
#define static_call_mod(name) (&__SCT__##name)
