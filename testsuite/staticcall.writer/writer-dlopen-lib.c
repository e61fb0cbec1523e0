/* Part of writer-dlopen.c: a library with sites of the program's key.  */
int wk (int) __attribute__ ((static_call));
__attribute__ ((noipa)) int lib_call (int x) { return wk (x) * 1; }
__attribute__ ((noipa)) int lib_tail (int x) { return wk (x); }
int ctor_result;
__attribute__ ((constructor)) static void lib_ctor (void) { ctor_result = lib_call (0); }
