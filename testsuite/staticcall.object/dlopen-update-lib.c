/* Part of dlopen-update.c: a library loaded after the update; its constructor calls its site at once.  */
int hook (int) __attribute__ ((static_call));
int ctor_result;
__attribute__ ((noinline)) int lib_call (int x) { return hook (x); }
__attribute__ ((constructor)) static void lib_init (void) { ctor_result = lib_call (1); }
