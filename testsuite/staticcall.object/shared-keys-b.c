/* Part of shared-keys.c: libskb.so, with sites of both keys and a target of the library key.  */
int exe_key (int) __attribute__ ((static_call));
int lib_key (int) __attribute__ ((static_call));
int lib_key_b (int x) { return x * 3; }
__attribute__ ((noinline)) int b_exe (int x) { return exe_key (x); }
__attribute__ ((noinline)) int b_lib (int x) { return lib_key (x) + 0; }
