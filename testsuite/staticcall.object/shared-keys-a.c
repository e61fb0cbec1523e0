/* Part of shared-keys.c: libska.so, with sites of the program's key and the home of its own key.  */
int exe_key (int) __attribute__ ((static_call));
int lib_key (int) __attribute__ ((static_call));
int lib_key (int x) { return x * 2; }
__attribute__ ((noinline)) int a_exe (int x) { return exe_key (x); }
__attribute__ ((noinline)) int a_exe_tail (int x) { return exe_key (x + 1); }
__attribute__ ((noinline)) int a_lib (int x) { return lib_key (x); }
