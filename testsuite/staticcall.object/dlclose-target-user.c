/* Part of dlclose-target.c: a linked library with sites of the program's keys.  */
int hook (int) __attribute__ ((static_call));
int hook2 (int) __attribute__ ((static_call));
int hook3 (int) __attribute__ ((static_call));
__attribute__ ((noinline)) int user_hook (int x) { return hook (x); }
__attribute__ ((noinline)) int user_hook2 (int x) { return hook2 (x); }
__attribute__ ((noinline)) int user_hook3 (int x) { return hook3 (x); }
